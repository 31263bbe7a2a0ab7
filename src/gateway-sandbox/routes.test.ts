import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/helpers/db.js';
import { GOOD_EXPIRY, testApp, testGateway } from './test-support.js';

describe('POST /sandbox-gateway/v1/tokens', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await createTestDb();
    app = await testApp(testGateway(db).gateway, db);
  });
  afterAll(async () => {
    await app?.close();
    await db?.dropAfter();
  });

  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/sandbox-gateway/v1/tokens', payload: payload as any, headers });

  it.each([
    ['4242 4242 4242 4242', 'visa', '4242'],
    ['4000000000000002', 'visa', '0002'],
    ['4000000000009995', 'visa', '9995'],
    ['4000000000000069', 'visa', '0069'],
    ['4000000000000127', 'visa', '0127'],
    ['4000000000000119', 'visa', '0119'],
    ['5555 5555 5555 4444', 'mastercard', '4444'],
    ['6011111111111117', 'discover', '1117'],
  ])('tokenizes %s (%s)', async (number, brand, last4) => {
    const res = await post({ number, cvc: '123', ...GOOD_EXPIRY });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ id: expect.stringMatching(/^tok_[0-9a-z]{26}$/), card: { brand, last4, ...GOOD_EXPIRY } });
  });

  it('tokenizes an amex with its 4-digit CVC, and reads a two-digit year as 20xx', async () => {
    const res = await post({ number: '3782 822463 10005', cvc: '1234', exp_month: 1, exp_year: 29 });
    expect(res.statusCode).toBe(201);
    expect(res.json().card).toEqual({ brand: 'amex', last4: '0005', exp_month: 1, exp_year: 2029 });
  });

  it('answers a Luhn failure with gateway_card_invalid and number: invalid_number', async () => {
    const res = await post({ number: '4242424242424241', cvc: '123', ...GOOD_EXPIRY });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 422, code: 'gateway_card_invalid', fields: { number: ['invalid_number'] } });
    expect(res.body).not.toContain('4242424242424241');
  });

  it('answers a past expiry with expired on both expiry fields (the clock says March 2026)', async () => {
    const ok = await post({ number: '4242424242424242', cvc: '123', exp_month: 3, exp_year: 2026 });
    expect(ok.statusCode).toBe(201);
    const res = await post({ number: '4242424242424242', cvc: '123', exp_month: 2, exp_year: 2026 });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'gateway_card_invalid', fields: { exp_month: ['expired'], exp_year: ['expired'] } });
  });

  it.each([
    ['4242424242424242', '12'],
    ['4242424242424242', '12345'],
    ['4242424242424242', 'abc'],
    ['378282246310005', '123'],
  ])('answers %s with CVC %s as cvc: invalid_cvc', async (number, cvc) => {
    const res = await post({ number, cvc, ...GOOD_EXPIRY });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'gateway_card_invalid', fields: { cvc: ['invalid_cvc'] } });
  });

  it('reports every bad field at once, month out of range included', async () => {
    const res = await post({ number: '1234', cvc: '1', exp_month: 13, exp_year: 2030 });
    expect(res.statusCode).toBe(422);
    expect(res.json().fields).toEqual({ number: ['invalid_number'], exp_month: ['invalid_exp_month'], cvc: ['invalid_cvc'] });
  });

  it('answers a malformed body with request_validation_failed and field codes', async () => {
    const res = await post({ number: 4242424242424242, exp_month: '12', cvc: '123' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'request_validation_failed',
      fields: { number: ['invalid_type'], exp_month: ['invalid_type'], exp_year: ['required'] },
    });
  });

  it('replays the same token for a reused Idempotency-Key, and refuses the key with another body', async () => {
    const body = { number: '4242424242424242', cvc: '123', ...GOOD_EXPIRY };
    const first = await post(body, { 'idempotency-key': 'tok-key-1-0123456789' });
    const again = await post(body, { 'idempotency-key': 'tok-key-1-0123456789' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    const other = await post({ ...body, exp_year: GOOD_EXPIRY.exp_year + 1 }, { 'idempotency-key': 'tok-key-1-0123456789' });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('idempotency_key_reused');
    // The CVC is not part of the stored request hash at all (PCI: no form of it is kept), so it cannot tell bodies apart.
    const otherCvc = await post({ ...body, cvc: '999' }, { 'idempotency-key': 'tok-key-1-0123456789' });
    expect(otherCvc.json().id).toBe(first.json().id);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM gateway_tokens WHERE id = $1`, [first.json().id]);
    expect(rows[0].n).toBe(1);
  });

  it('keeps idempotency keys in the gateway table, not the app one', async () => {
    const { rows: gw } = await db.query(`SELECT count(*)::int AS n FROM gateway_idempotency_keys WHERE key = 'tok-key-1-0123456789'`);
    const { rows: core } = await db.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = 'tok-key-1-0123456789'`);
    expect(gw[0].n).toBe(1);
    expect(core[0].n).toBe(0);
  });
});
