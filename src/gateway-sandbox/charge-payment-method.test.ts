import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/helpers/db.js';
import { TEST_CARDS, THREE_DS_CARDS, type SandboxGateway } from './index.js';
import { testGateway, tokenFor } from './test-support.js';

describe('charge', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  let gw: SandboxGateway;
  let clock: ReturnType<typeof testGateway>['clock'];
  let n = 0;
  beforeAll(async () => {
    db = await createTestDb();
    ({ gateway: gw, clock } = testGateway(db));
  });
  afterAll(() => db?.dropAfter());

  const pmFor = async (number: string) => (await gw.createPaymentMethod({ token: await tokenFor(gw, number), idempotencyKey: `pm-${n++}` })).id;
  const chargeRow = async (id: string) => (await db.query(`SELECT * FROM gateway_charges WHERE id = $1`, [id])).rows[0];

  it.each([
    ['4242424242424242', null],
    ['5555555555554444', null],
    ['4000000000000002', 'generic_decline'],
    ['4000000000009995', 'insufficient_funds'],
    ['4000000000000069', 'expired_card'],
    ['4000000000000127', 'incorrect_cvc'],
    ['4000000000000119', 'processing_error'],
  ])('%s → %s, recorded as such', async (number, declineCode) => {
    const pm = await pmFor(number);
    const r = await gw.charge({ paymentMethodId: pm, amount: 1234, currency: 'EUR', idempotencyKey: `ch-${number}`, capture: true });
    const row = await chargeRow(r.id);
    if (declineCode === null) {
      expect(r).toEqual({ status: 'succeeded', id: expect.stringMatching(/^ch_/), amount: 1234, currency: 'EUR', kind: 'charge' });
      expect(row).toMatchObject({ status: 'succeeded', captured: true, kind: 'charge', decline_code: null, amount: 1234 });
    } else {
      expect(r).toEqual({ status: 'declined', id: expect.stringMatching(/^ch_/), declineCode, amount: 1234, currency: 'EUR' });
      expect(row).toMatchObject({ status: 'failed', captured: false, decline_code: declineCode });
    }
  });

  it('records a capture:false validation as an uncaptured authorisation', async () => {
    const r = await gw.charge({ paymentMethodId: await pmFor(TEST_CARDS.success), amount: 0, currency: 'usd', idempotencyKey: 'auth-1', capture: false });
    expect(r).toMatchObject({ status: 'succeeded', kind: 'authorization', amount: 0, currency: 'USD' });
    expect(await chargeRow(r.id)).toMatchObject({ kind: 'authorization', captured: false, status: 'succeeded' });
  });

  it('20 concurrent charges with one key make exactly one gateway_charges row', async () => {
    const input = { paymentMethodId: await pmFor(TEST_CARDS.success), amount: 990, currency: 'EUR', idempotencyKey: 'ch-concurrent', capture: true };
    const results = await Promise.all(Array.from({ length: 20 }, () => gw.charge(input)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM gateway_charges WHERE idempotency_key = 'ch-concurrent'`);
    expect(rows[0].n).toBe(1);
  });

  it('20 concurrent calls that disagree under one key: one charge, the others payment_idempotency_mismatch', async () => {
    const pm = await pmFor(TEST_CARDS.success);
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => gw.charge({ paymentMethodId: pm, amount: 100 + i, currency: 'EUR', idempotencyKey: 'ch-disagree', capture: true })),
    );
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    for (const s of settled) if (s.status === 'rejected') expect(s.reason).toMatchObject({ code: 'payment_idempotency_mismatch', status: 409 });
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM gateway_charges WHERE idempotency_key = 'ch-disagree'`);
    expect(rows[0].n).toBe(1);
  });

  it('replays a charge by its key even after its payment method was deleted (the key is read before the method)', async () => {
    const input = { paymentMethodId: await pmFor(TEST_CARDS.success), amount: 700, currency: 'EUR', idempotencyKey: 'ch-replay-deleted', capture: true };
    const first = await gw.charge(input);
    await gw.deletePaymentMethod({ paymentMethodId: input.paymentMethodId });
    expect(await gw.charge(input)).toEqual(first);
    await expect(gw.charge({ ...input, idempotencyKey: 'ch-after-delete' })).rejects.toMatchObject({ code: 'payment_method_invalid' });
  });

  it('20 concurrent customer-present calls with one key open exactly one challenge', async () => {
    const input = { paymentMethodId: await pmFor(THREE_DS_CARDS.authentication_required), amount: 500, currency: 'EUR', idempotencyKey: 'ch-3ds-concurrent', capture: true };
    const results = await Promise.all(Array.from({ length: 20 }, () => gw.chargeOnSession(input)));
    expect(results.every((r) => r.status === 'requires_action')).toBe(true);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM gateway_challenges WHERE idempotency_key = 'ch-3ds-concurrent'`);
    expect(rows[0].n).toBe(1);
  });

  it('declines a card that has expired since it was tokenized', async () => {
    const pm = await pmFor(TEST_CARDS.success);
    clock.advance(6 * 365 * 24 * 3600 * 1000); // past 12/2030
    try {
      const r = await gw.charge({ paymentMethodId: pm, amount: 100, currency: 'EUR', idempotencyKey: 'ch-expired-later', capture: true });
      expect(r).toMatchObject({ status: 'declined', declineCode: 'expired_card' });
    } finally {
      clock.advance(-6 * 365 * 24 * 3600 * 1000);
    }
  });

  it.each([
    [{ amount: -1 }, { amount: ['invalid_amount'] }],
    [{ amount: 1.5 }, { amount: ['invalid_amount'] }],
    [{ amount: Number.MAX_SAFE_INTEGER + 1 }, { amount: ['invalid_amount'] }],
    [{ currency: 'EURO' }, { currency: ['invalid_currency'] }],
    [{ idempotencyKey: '' }, { idempotencyKey: ['required'] }],
  ])('refuses %j with gateway_request_invalid', async (change, fields) => {
    const input = { paymentMethodId: 'pm_any', amount: 100, currency: 'EUR', idempotencyKey: `bad-${n++}`, capture: true, ...change };
    await expect(gw.charge(input)).rejects.toMatchObject({ code: 'gateway_request_invalid', fields });
  });
});
