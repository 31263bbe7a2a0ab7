import { describe, expect, it } from 'vitest';
import { gatewayFixture } from './test-support.js';

describe('createCustomer', () => {
  const f = gatewayFixture();
  const rowsFor = async (key: string) => (await f.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM gateway_customers WHERE idempotency_key = $1`, [key])).rows[0].n;

  it('20 concurrent calls with one key make one customer, and every caller gets it', async () => {
    const all = await Promise.all(Array.from({ length: 20 }, () => f.gw.createCustomer({ reference: 'ref_conc', idempotencyKey: 'cus-conc' })));
    expect(new Set(all.map((c) => c.id)).size).toBe(1);
    expect(await rowsFor('cus-conc')).toBe(1);
  });

  it('20 concurrent calls that disagree under one key: one customer, the others payment_idempotency_mismatch', async () => {
    const settled = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => f.gw.createCustomer({ reference: `ref_${i}`, idempotencyKey: 'cus-disagree' })));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    for (const s of settled) if (s.status === 'rejected') expect(s.reason).toMatchObject({ code: 'payment_idempotency_mismatch' });
    expect(await rowsFor('cus-disagree')).toBe(1);
  });
});
