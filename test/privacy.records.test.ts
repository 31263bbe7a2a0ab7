import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_PII, PERSONAL_NAME_PARTS, PII_COLUMNS } from '../src/vault/pii-columns.js';
import { createTestDb } from './helpers/db.js';

/** Records of processing (art. 30): the schema, the code's PII list and docs/privacy.md agree, both ways. */
describe('docs/privacy.md lists every personal column of the schema', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  let columns: Set<string>;
  beforeAll(async () => {
    db = await createTestDb();
    const { rows } = await db.query<{ c: string }>(`SELECT table_name || '.' || column_name AS c FROM information_schema.columns WHERE table_schema = 'public'`);
    columns = new Set(rows.map((r) => r.c));
  });
  afterAll(() => db.dropAfter());

  const documented = () =>
    readFileSync(new URL('../docs/privacy.md', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => /^\| `[a-z_]+\.[a-z_]+` \|/.test(l))
      .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));

  it('every listed column exists in the schema (after all migrations)', () => {
    expect(PII_COLUMNS.filter((c) => !columns.has(c))).toEqual([]);
    expect(Object.keys(NOT_PII).filter((c) => !columns.has(c))).toEqual([]);
  });

  it('every column whose name looks personal is classified: personal, or not personal with a reason', () => {
    const candidates = [...columns].filter((c) => c.split('.')[1]!.split('_').some((part) => PERSONAL_NAME_PARTS.includes(part)));
    expect(candidates.length).toBeGreaterThan(15);
    const pii = new Set<string>(PII_COLUMNS);
    expect(candidates.filter((c) => !pii.has(c) && !(c in NOT_PII)).sort()).toEqual([]);
    expect(PII_COLUMNS.filter((c) => c in NOT_PII)).toEqual([]);
  });

  it('the document lists exactly the code\'s PII columns, each with purpose, basis, retention and processors', () => {
    const rows = documented();
    expect(rows.map((r) => r[0]!.replaceAll('`', '')).sort()).toEqual([...PII_COLUMNS].sort());
    for (const r of rows) expect({ column: r[0], empty: r.filter((cell) => cell.length === 0).length, cells: r.length }).toEqual({ column: r[0], empty: 0, cells: 6 });
  });

  it('no clear personal column remains: contact fields exist only sealed or as keyed hashes', () => {
    const clear = [...columns].filter((c) => /\.(email|email_normalized|given_name|family_name|phone|profile|address|ip|user_agent)$/.test(c));
    expect(clear).toEqual([]);
  });
});
