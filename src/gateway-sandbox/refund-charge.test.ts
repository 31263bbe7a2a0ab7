import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/helpers/db.js';
import { TEST_CARDS, type SandboxGateway } from './index.js';
import { testGateway, tokenFor } from './test-support.js';

describe('refund', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  let gw: SandboxGateway;
  let n = 0;
  beforeAll(async () => {
    db = await createTestDb();
    gw = testGateway(db).gateway;
  });
  afterAll(() => db?.dropAfter());

  const captured = async (amount = 5000) => {
    const pm = await gw.createPaymentMethod({ token: await tokenFor(gw, TEST_CARDS.success), idempotencyKey: `pm-${n++}` });
    return gw.charge({ paymentMethodId: pm.id, amount, currency: 'KWD', idempotencyKey: `ch-${n++}`, capture: true });
  };
  const refunds = async (chargeId: string) =>
    (await db.query(`SELECT * FROM gateway_refunds WHERE charge_id = $1`, [chargeId])).rows;

  it('refunds the full amount once; the same key replays', async () => {
    const ch = await captured(1234);
    const a = await gw.refund({ chargeId: ch.id, idempotencyKey: 're-1' });
    const b = await gw.refund({ chargeId: ch.id, idempotencyKey: 're-1' });
    expect(b).toEqual(a);
    expect(await refunds(ch.id)).toEqual([expect.objectContaining({ id: a.id, amount: 1234, currency: 'KWD', status: 'succeeded' })]);
  });

  it('refuses a second refund of the same charge under another key', async () => {
    const ch = await captured();
    await gw.refund({ chargeId: ch.id, idempotencyKey: 're-2a' });
    await expect(gw.refund({ chargeId: ch.id, idempotencyKey: 're-2b' })).rejects.toMatchObject({ code: 'payment_refund_invalid' });
    expect(await refunds(ch.id)).toHaveLength(1);
  });

  it('under 10 concurrent refunds with different keys, refunds once', async () => {
    const ch = await captured();
    const settled = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => gw.refund({ chargeId: ch.id, idempotencyKey: `re-race-${i}` })));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    for (const s of settled) if (s.status === 'rejected') expect(s.reason).toMatchObject({ code: 'payment_refund_invalid' });
    expect(await refunds(ch.id)).toHaveLength(1);
  });

  it('under 10 concurrent refunds with one key, returns one refund', async () => {
    const ch = await captured();
    const results = await Promise.all(Array.from({ length: 10 }, () => gw.refund({ chargeId: ch.id, idempotencyKey: 're-same' })));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await refunds(ch.id)).toHaveLength(1);
  });
});
