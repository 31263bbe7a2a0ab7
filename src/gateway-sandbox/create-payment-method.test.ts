import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/helpers/db.js';
import { TEST_CARDS, type SandboxGateway } from './index.js';
import { testGateway, tokenFor } from './test-support.js';

describe('createPaymentMethod', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  let gw: SandboxGateway;
  beforeAll(async () => {
    db = await createTestDb();
    gw = testGateway(db).gateway;
  });
  afterAll(() => db?.dropAfter());

  const count = async (sql: string, params: unknown[]) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0].n;

  it('returns the card summary with the token fingerprint, and marks the token consumed', async () => {
    const token = await tokenFor(gw, '5555555555554444');
    const pm = await gw.createPaymentMethod({ token, idempotencyKey: 'k-summary' });
    expect(pm.id).toMatch(/^pm_/);
    const { rows } = await db.query(`SELECT fingerprint, consumed_at FROM gateway_tokens WHERE id = $1`, [token]);
    expect(pm.card).toEqual({ brand: 'mastercard', last4: '4444', exp_month: 12, exp_year: 2030, fingerprint: rows[0].fingerprint, country: 'US' });
    expect(rows[0].consumed_at).not.toBeNull();
  });

  it('reports the issuing country of Stripe\'s international test cards (US for the others)', async () => {
    const de = await gw.createPaymentMethod({ token: await tokenFor(gw, '4000002760000016'), idempotencyKey: 'k-country-de' });
    const gb = await gw.createPaymentMethod({ token: await tokenFor(gw, '4000008260000000'), idempotencyKey: 'k-country-gb' });
    expect([de.card.country, gb.card.country]).toEqual(['DE', 'GB']);
  });

  it('uses a token once: a second key gets payment_method_invalid', async () => {
    const token = await tokenFor(gw, TEST_CARDS.success);
    await gw.createPaymentMethod({ token, idempotencyKey: 'k-once-1' });
    await expect(gw.createPaymentMethod({ token, idempotencyKey: 'k-once-2' })).rejects.toMatchObject({ code: 'payment_method_invalid', status: 422 });
    expect(await count('gateway_payment_methods WHERE token_id = $1', [token])).toBe(1);
  });

  it('under 10 concurrent calls with one key, returns one payment method', async () => {
    const token = await tokenFor(gw, TEST_CARDS.success);
    const results = await Promise.all(Array.from({ length: 10 }, () => gw.createPaymentMethod({ token, idempotencyKey: 'k-conc' })));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await count('gateway_payment_methods WHERE idempotency_key = $1', ['k-conc'])).toBe(1);
  });

  it('under 10 concurrent calls with different keys, lets exactly one consume the token', async () => {
    const token = await tokenFor(gw, TEST_CARDS.success);
    const settled = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => gw.createPaymentMethod({ token, idempotencyKey: `k-race-${i}` })),
    );
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    for (const s of settled) if (s.status === 'rejected') expect(s.reason).toMatchObject({ code: 'payment_method_invalid' });
    expect(await count('gateway_payment_methods WHERE token_id = $1', [token])).toBe(1);
  });

  it('under 10 concurrent calls with one key and 10 tokens: one payment method, the others payment_idempotency_mismatch, their tokens left usable', async () => {
    const tokens = await Promise.all(Array.from({ length: 10 }, () => tokenFor(gw, TEST_CARDS.success)));
    const settled = await Promise.allSettled(tokens.map((token) => gw.createPaymentMethod({ token, idempotencyKey: 'k-conc-tokens' })));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    for (const s of settled) if (s.status === 'rejected') expect(s.reason).toMatchObject({ code: 'payment_idempotency_mismatch' });
    expect(await count('gateway_payment_methods WHERE idempotency_key = $1', ['k-conc-tokens'])).toBe(1);
    // The losers consumed nothing: only the winner's token is marked, and every other one still makes a method.
    expect(await count('gateway_tokens WHERE id = ANY($1::text[]) AND consumed_at IS NOT NULL', [tokens])).toBe(1);
    const losers = tokens.filter((_, i) => settled[i]!.status === 'rejected');
    const fresh = await Promise.all(losers.map((token, i) => gw.createPaymentMethod({ token, idempotencyKey: `k-conc-tokens-${i}` })));
    expect(fresh).toHaveLength(9);
  });

  it('refuses a key reused with another token, and leaves that token usable', async () => {
    const first = await tokenFor(gw, TEST_CARDS.success);
    const second = await tokenFor(gw, TEST_CARDS.success);
    await gw.createPaymentMethod({ token: first, idempotencyKey: 'k-mismatch' });
    await expect(gw.createPaymentMethod({ token: second, idempotencyKey: 'k-mismatch' })).rejects.toMatchObject({ code: 'payment_idempotency_mismatch' });
    await expect(gw.createPaymentMethod({ token: second, idempotencyKey: 'k-mismatch-fresh' })).resolves.toMatchObject({ id: expect.stringMatching(/^pm_/) });
  });

  it('refuses an unknown or malformed token', async () => {
    for (const token of ['tok_00000000000000000000000000', 'not-a-token', '']) {
      await expect(gw.createPaymentMethod({ token, idempotencyKey: `k-unknown-${token}` })).rejects.toMatchObject({ code: 'payment_method_invalid' });
    }
  });
});
