import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogError, loadCatalog } from '../src/pricing/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createTestDb } from './helpers/db.js';
import { call, tokenize, verifiedEnrollment } from './helpers/flow.js';

describe('tax-correct pricing through the HTTP API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  let n = 0;
  /** Verified enrollment of a customer in `country`. */
  const verified = (country: string) => verifiedEnrollment(t.app, t.deps, `tax-${n++}@example.com`, country);

  it('lists plans in the country\'s currency with its tax display, and a comparison matrix', async () => {
    const jp = await call(t.app, 'GET', '/v1/plans?country=JP&locale=ja-JP');
    expect(jp.status).toBe(200);
    expect(jp.body.currency).toBe('JPY');
    expect(jp.body.tax).toEqual({ mode: 'inclusive', rate_bp: 1000, label: 'consumption_tax' });
    expect(jp.body.matrix.columns).toEqual(['starter', 'pro', 'business']);
    const seats = jp.body.matrix.rows.find((r: { key: string }) => r.key === 'seats');
    expect(seats).toEqual({ key: 'seats', label: 'チームのシート数', values: [3, 15, 'unlimited'] });
    // An explicit currency overrides the country's.
    expect((await call(t.app, 'GET', '/v1/plans?country=JP&currency=USD')).body.currency).toBe('USD');
    const kw = await call(t.app, 'GET', '/v1/plans?country=KW&locale=ar');
    const starter = kw.body.plans[0].prices.find((p: { interval: string }) => p.interval === 'month');
    expect(starter).toMatchObject({ currency: 'KWD', amount: 3000 });
    expect(starter.display).toMatch(/3[.,٫]000/); // three decimals, in Arabic digits or not
  });

  it('quotes a German consumer gross with 19 % VAT inside, and charges and invoices exactly that', async () => {
    const id = await verified('DE');
    const q = await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR' });
    expect(q.status).toBe(200);
    expect(q.body.quote).toMatchObject({ amount: 900, net: 756, tax: { amount: 144, rate_bp: 1900, mode: 'inclusive', country: 'DE' }, vat_id: null });
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token: await tokenize(t.app) })).status).toBe(200);
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(done.status).toBe(200);
    const { rows } = await t.db.query(`SELECT subtotal, tax_amount, total, tax FROM invoices WHERE subscription_id = $1`, [done.body.subscription.id]);
    expect(rows[0]).toMatchObject({ subtotal: 756, tax_amount: 144, total: 900, tax: { mode: 'inclusive', rate_bp: 1900 } });
    const charged = await t.db.query(`SELECT amount FROM gateway_charges ORDER BY created_at DESC LIMIT 1`);
    expect(charged.rows[0].amount).toBe(900);
  });

  it('gives a French business with a valid VAT id the reverse charge: it pays net, invoiced with its VAT id', async () => {
    const id = await verified('FR');
    const q = await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR', vat_id: 'FR40303265045' });
    expect(q.status).toBe(200);
    expect(q.body.quote).toMatchObject({ amount: 750, net: 750, tax: { amount: 0, mode: 'reverse_charge', country: 'FR' }, vat_id: 'FR40303265045' });
    await call(t.app, 'PUT', `/v1/enrollments/${id}/payment-method`, { token: await tokenize(t.app) });
    const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    const { rows } = await t.db.query(`SELECT subtotal, tax_amount, total, tax FROM invoices WHERE subscription_id = $1`, [done.body.subscription.id]);
    expect(rows[0]).toMatchObject({ subtotal: 750, tax_amount: 0, total: 750, tax: { mode: 'reverse_charge', vat_id: 'FR40303265045' } });
  });

  it('refuses a malformed VAT id with a field code, and changes nothing', async () => {
    const id = await verified('FR');
    const q = await call(t.app, 'PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR', vat_id: 'FR00000000000' });
    expect(q.status).toBe(422);
    expect(q.body).toMatchObject({ code: 'pricing_vat_id_invalid', fields: { vat_id: ['invalid_format'] } });
    expect((await call(t.app, 'GET', `/v1/enrollments/${id}`)).body.status).toBe('verified');
  });
});

describe('a published catalogue version is immutable', () => {
  it('refuses to boot with the same version label but other prices', async () => {
    const db = await createTestDb();
    const first = await createTestApp({}, { db: Object.assign(Object.create(db), { dropAfter: undefined }) });
    await first.app.close();
    const edited = structuredClone(loadCatalog()) as any;
    edited.plans[0].prices.month.EUR += 100;
    await expect(createTestApp({}, { db: Object.assign(Object.create(db), { dropAfter: undefined }), catalog: edited })).rejects.toBeInstanceOf(CatalogError);
    edited.version = '2026-12-24';
    const bumped = await createTestApp({}, { db: Object.assign(Object.create(db), { dropAfter: undefined }), catalog: edited });
    await bumped.app.close();
    await first.deps.worker.stop();
    await bumped.deps.worker.stop();
    await db.dropAfter();
  });
});
