import type { Db } from '../db/index.js';

export interface BrokenLink {
  /** The event whose link fails; null when the chain's tail is missing (head_mismatch). */
  event_id: string | null;
  chain: string;
  chain_seq: number;
  /** hash_mismatch: the row was changed; link_mismatch or sequence_gap: a row before it was removed or inserted; head_mismatch: rows at the end were removed. */
  reason: 'hash_mismatch' | 'link_mismatch' | 'sequence_gap' | 'head_mismatch';
}

export interface ChainReport {
  ok: boolean;
  events: number;
  first_broken?: BrokenLink;
}

/**
 * Recompute every chain in the database (or one tenant's): each row's hash from its content and
 * its predecessor's hash, each link against the stored predecessor, each chain's last row against
 * its head. The first break is the earliest written (global seq), so a tampered row is named
 * exactly: its own hash fails, while its successor still links to the stored (old) hash.
 * Reading every tenant's audit rows is system work; a tenant's owner verifies only their chain.
 */
export async function verifyAuditChain(db: Db, opts: { tenantId?: string } = {}): Promise<ChainReport> {
  const scope = opts.tenantId ? { tenantId: opts.tenantId } : { system: 'audit-verify' };
  return db.transaction(async (tx) => {
    const where = opts.tenantId ? 'WHERE chain = $1' : '';
    const params = opts.tenantId ? [opts.tenantId] : [];
    const { rows } = await tx.query<{ events: number; event_id: string | null; chain: string | null; chain_seq: number | null; reason: BrokenLink['reason'] | null }>(
      `WITH linked AS (
         SELECT e.seq, e.id, e.chain, e.chain_seq,
                audit_event_digest(e.prev_hash, e) = e.hash AS self_ok,
                e.prev_hash IS NOT DISTINCT FROM lag(e.hash) OVER w AS link_ok,
                e.chain_seq = coalesce(lag(e.chain_seq) OVER w, 0) + 1 AS seq_ok,
                lead(e.chain_seq) OVER w IS NULL AS last, e.hash
           FROM audit_events e ${where}
         WINDOW w AS (PARTITION BY e.chain ORDER BY e.chain_seq)
       ), broken AS (
         SELECT l.seq, l.id AS event_id, l.chain, l.chain_seq,
                CASE WHEN NOT l.seq_ok THEN 'sequence_gap' WHEN NOT l.link_ok THEN 'link_mismatch' ELSE 'hash_mismatch' END AS reason
           FROM linked l WHERE NOT (l.self_ok AND l.link_ok AND l.seq_ok)
         UNION ALL
         SELECT NULL, NULL, h.chain, h.seq, 'head_mismatch'
           FROM audit_chain_heads h LEFT JOIN linked l ON l.chain = h.chain AND l.last
          ${opts.tenantId ? 'WHERE h.chain = $1 AND' : 'WHERE'} (l.chain_seq IS DISTINCT FROM h.seq OR l.hash IS DISTINCT FROM h.hash) AND h.seq > 0
       )
       SELECT (SELECT count(*)::int FROM linked) AS events, b.event_id, b.chain, b.chain_seq, b.reason
         FROM (SELECT 1) one LEFT JOIN (SELECT * FROM broken ORDER BY seq NULLS LAST, chain LIMIT 1) b ON true`,
      params,
    );
    const r = rows[0]!;
    if (!r.reason) return { ok: true, events: r.events };
    return { ok: false, events: r.events, first_broken: { event_id: r.event_id, chain: r.chain!, chain_seq: r.chain_seq!, reason: r.reason } };
  }, scope);
}
