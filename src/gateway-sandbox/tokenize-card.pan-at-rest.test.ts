import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/helpers/db.js';
import { open, sha256 } from '../kernel/crypto.js';
import { createSandboxGateway, TEST_CARDS } from './index.js';
import { deriveGatewayKeys } from './keys.js';
import { GOOD_EXPIRY, TEST_SECRET, testApp, testGateway, tokenFor } from './test-support.js';

/** PCI: the PAN exists at rest only as ciphertext, the CVC not at all. */
describe('PAN at rest', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  const pans = [...Object.values(TEST_CARDS), '5555555555554444', '378282246310005'];

  beforeAll(async () => {
    db = await createTestDb();
    const { gateway } = testGateway(db);
    const app = await testApp(gateway, db);
    // Exercise every table: HTTP tokenization with an idempotency key, payment methods, charges, refunds, declines.
    for (const [i, number] of pans.entries()) {
      const res = await app.inject({
        method: 'POST',
        url: '/sandbox-gateway/v1/tokens',
        headers: { 'idempotency-key': `pan-at-rest-key-${i}-0123456789` },
        payload: { number, cvc: number.startsWith('37') ? '7391' : '739', ...GOOD_EXPIRY },
      });
      expect(res.statusCode).toBe(201);
      const pm = await gateway.createPaymentMethod({ token: res.json().id, idempotencyKey: `pm-${i}` });
      const ch = await gateway.charge({ paymentMethodId: pm.id, amount: 1000, currency: 'EUR', idempotencyKey: `ch-${i}`, capture: true });
      if (ch.status === 'succeeded') await gateway.refund({ chargeId: ch.id, idempotencyKey: `re-${i}` });
    }
    // A rejected card, too: a failure must not leave the number behind either.
    await app.inject({ method: 'POST', url: '/sandbox-gateway/v1/tokens', headers: { 'idempotency-key': 'bad-card-key-0123456789' }, payload: { number: '4242424242424241', cvc: '739', ...GOOD_EXPIRY } });
    await app.close();
  });
  afterAll(() => db?.dropAfter());

  it('no table row contains a PAN in plaintext', async () => {
    const { rows: tables } = await db.query<{ t: string }>(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    expect(tables.map((r) => r.t)).toEqual(expect.arrayContaining(['gateway_tokens', 'gateway_payment_methods', 'gateway_charges', 'gateway_refunds', 'gateway_idempotency_keys']));
    let scanned = 0;
    for (const { t } of tables) {
      const { rows } = await db.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM ${t} x`);
      scanned += t.startsWith('gateway_') ? rows.length : 0;
      for (const { j } of rows) {
        for (const pan of [...pans, '4242424242424241']) expect(j, t).not.toContain(pan);
      }
    }
    expect(scanned).toBeGreaterThan(pans.length * 4);
  });

  it('has no column that could hold a CVC or a raw number', async () => {
    const { rows } = await db.query<{ c: string }>(
      `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name LIKE 'gateway\\_%'`,
    );
    const names = rows.map((r) => r.c);
    expect(names).toContain('pan_ciphertext');
    expect(names.filter((c) => /cvc|cvv|csc|security_code|^pan$|^number$|card_number/.test(c))).toEqual([]);
  });

  it('keeps the PAN decryptable inside the module with the gateway key, and only with it', async () => {
    const { rows } = await db.query<{ pan_ciphertext: string; last4: string }>(`SELECT pan_ciphertext, last4 FROM gateway_tokens`);
    const keys = deriveGatewayKeys(TEST_SECRET);
    const opened = rows.map((r) => open(keys.pan, r.pan_ciphertext));
    expect(new Set(opened)).toEqual(new Set(pans));
    for (const [i, r] of rows.entries()) expect(opened[i].endsWith(r.last4)).toBe(true);
    const wrong = deriveGatewayKeys('another-gateway-secret-entirely');
    expect(() => open(wrong.pan, rows[0].pan_ciphertext)).toThrow();
  });

  it('gives one card one fingerprint, under fresh ciphertext each time; the fingerprint is keyed', async () => {
    const { gateway } = testGateway(db);
    const a = await tokenFor(gateway, TEST_CARDS.success);
    const b = await tokenFor(gateway, '4242 4242 4242 4242');
    const { rows } = await db.query<{ id: string; pan_ciphertext: string; fingerprint: string }>(
      `SELECT id, pan_ciphertext, fingerprint FROM gateway_tokens WHERE id = ANY($1) ORDER BY id`,
      [[a, b]],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0].fingerprint).toBe(rows[1].fingerprint);
    expect(rows[0].pan_ciphertext).not.toBe(rows[1].pan_ciphertext);
    expect(rows[0].fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(sha256(TEST_CARDS.success)).not.toContain(rows[0].fingerprint);

    const other = createSandboxGateway({ db, secret: 'another-gateway-secret-entirely' });
    const c = await tokenFor(other, TEST_CARDS.success);
    const { rows: oc } = await db.query<{ fingerprint: string }>(`SELECT fingerprint FROM gateway_tokens WHERE id = $1`, [c]);
    expect(oc[0].fingerprint).not.toBe(rows[0].fingerprint);
  });
});
