import type { Tx } from '../db/index.js';

// Tables whose rows exist only for a completed enrollment. Retention never deletes from them: should one ever
// reference an unfinished enrollment, its foreign key stops the purge loudly instead of the purge cascading
// into customers and billing.
const NEVER_PURGED = new Set(['customers', 'tenants', 'subscriptions', 'coupon_redemptions', 'referrals']);
const MAX_DEPTH = 3;

interface ForeignKey { child: string; childColumn: string; parentColumn: string }

/** Single-column foreign keys into a table, except ON DELETE CASCADE / SET NULL ones (PostgreSQL handles those). */
async function referencesTo(tx: Tx, table: string): Promise<ForeignKey[]> {
  const { rows } = await tx.query<{ child: string; child_column: string; parent_column: string }>(
    `SELECT c.conrelid::regclass::text AS child, ca.attname AS child_column, pa.attname AS parent_column
       FROM pg_constraint c
       JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = c.conkey[1]
       JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
      WHERE c.contype = 'f' AND c.confrelid = $1::regclass AND cardinality(c.conkey) = 1 AND c.confdeltype NOT IN ('c', 'n', 'd')
      ORDER BY 1, 2`,
    [table],
  );
  return rows.map((r) => ({ child: r.child, childColumn: r.child_column, parentColumn: r.parent_column }));
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected identifier ${name}`);
  return name;
};

/**
 * Delete the rows of `table` matching `where` (over $1) and, first, every row that references them, found
 * from the catalogue: modules keep adding tables that point at an enrollment (codes, factors, signals,
 * quotes…), and a hand-kept list would miss the next one. Returns rows deleted per table.
 */
export async function deleteWithDependents(tx: Tx, table: string, where: string, param: unknown, depth = 0, counts: Record<string, number> = {}): Promise<Record<string, number>> {
  if (depth > MAX_DEPTH) throw new Error(`retention: references deeper than ${MAX_DEPTH} levels below ${table}`);
  for (const fk of await referencesTo(tx, table)) {
    if (fk.child === table || NEVER_PURGED.has(fk.child)) continue;
    await deleteWithDependents(tx, fk.child, `${ident(fk.childColumn)} IN (SELECT ${ident(fk.parentColumn)} FROM ${ident(table)} WHERE ${where})`, param, depth + 1, counts);
  }
  const r = await tx.query(`DELETE FROM ${ident(table)} WHERE ${where}`, [param]);
  if (r.rowCount > 0) counts[table] = (counts[table] ?? 0) + r.rowCount;
  return counts;
}
