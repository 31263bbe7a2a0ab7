import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/helpers/db.js';
import { deriveKey } from '../kernel/crypto.js';
import { isAppError, type ErrorFactory } from '../kernel/errors.js';
import { newId } from '../kernel/ids.js';
import { createQuote, type CreateQuoteInput } from './create-quote.js';
import { pricingErrors } from './errors.js';
import { loadCatalog } from './load-catalog.js';
import { loadTaxRules } from './tax-rules.js';
import { quoteToJson } from './quote-to-json.js';
import { getQuote } from './repository.js';
import type { Catalog } from './types.js';

const catalog = loadCatalog();
const taxRules = loadTaxRules();
const signingKey = deriveKey('test-secret-test-secret', 'quote');
const now = new Date('2026-11-02T10:00:00.000Z');

describe('createQuote', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  let enrollmentId: string;
  beforeAll(async () => {
    db = await createTestDb();
    enrollmentId = newId('enr');
    await db.query(`INSERT INTO enrollments (id, channel, state, locale, expires_at) VALUES ($1, 'web', 'started', 'de-DE', $2)`, [enrollmentId, new Date(now.getTime() + 86_400_000)]);
  });
  afterAll(() => db.dropAfter());

  const input = (over: Partial<CreateQuoteInput> = {}): CreateQuoteInput => ({
    catalog, taxRules, enrollmentId, planId: 'pro', interval: 'year', currency: 'EUR', locale: 'de-DE', now, ttlMinutes: 30, signingKey, ...over,
  });

  async function expectCode(over: Partial<CreateQuoteInput>, factory: ErrorFactory, fields: Record<string, string[]>) {
    const err = await db.transaction((tx) => createQuote(tx, input(over))).catch((e: unknown) => e);
    expect(isAppError(err, factory)).toBe(true);
    expect((err as any).status).toBe(422);
    expect((err as any).fields).toEqual(fields);
  }

  it('prices the plan from the catalogue and stores exactly what it returns', async () => {
    const quote = await db.transaction((tx) => createQuote(tx, input()));
    expect(quote.id).toMatch(/^quo_[0-9a-z]{26}$/);
    expect(quote).toMatchObject({ planId: 'pro', interval: 'year', currency: 'EUR', amount: 19000, trialDays: 14, catalogVersion: '2026-11-25.2' });
    expect(quote.expiresAt.toISOString()).toBe('2026-11-02T10:30:00.000Z');
    expect(quote.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(await getQuote(db, quote.id)).toEqual(quote);

    const { rows } = await db.query('SELECT amount, currency, enrollment_id, catalog_version FROM quotes WHERE id = $1', [quote.id]);
    expect(rows).toEqual([{ amount: 19000, currency: 'EUR', enrollment_id: enrollmentId, catalog_version: '2026-11-25.2' }]);
  });

  it('renders the client view with Intl display strings', async () => {
    const quote = await db.transaction((tx) => createQuote(tx, input({ planId: 'starter', interval: 'month', currency: 'JPY', locale: 'ja-JP', country: 'JP' })));
    const json = quoteToJson(quote);
    expect(json).toEqual({
      id: quote.id,
      plan_id: 'starter',
      amount: 1200,
      // Japan shows prices with its 10 % consumption tax included: 109 of the 1,200 yen is tax.
      net: 1091,
      tax: { amount: 109, rate_bp: 1000, mode: 'inclusive', country: 'JP', label: 'consumption_tax' },
      vat_id: null,
      currency: 'JPY',
      interval: 'month',
      trial_days: 0,
      expires_at: '2026-11-02T10:30:00.000Z',
      catalog_version: '2026-11-25.2',
      lines: [{ type: 'plan', plan_id: 'starter', description_key: 'plan.starter.month', description: 'スターター', interval: 'month', amount: 1200, display: '￥1,200' }],
      list_amount: 1200,
      display: { amount: '￥1,200', net: '￥1,091', tax: '￥109' },
    });
    expect(json).not.toHaveProperty('signature');
  });

  it('stores every quote shown: a second selection is a second row', async () => {
    const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM quotes WHERE enrollment_id = $1', [enrollmentId])).rows[0].n;
    await db.transaction((tx) => createQuote(tx, input({ currency: 'GBP' })));
    const after = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM quotes WHERE enrollment_id = $1', [enrollmentId])).rows[0].n;
    expect(after).toBe(before + 1);
  });

  it('refuses an unknown plan', () => expectCode({ planId: 'platinum' }, pricingErrors.pricing_plan_not_found, { plan_id: ['not_found'] }));

  it('refuses a currency the plan is not priced in', () => expectCode({ currency: 'CHF' }, pricingErrors.pricing_currency_unsupported, { currency: ['unsupported'] }));

  it('refuses an interval that is not offered, even one named like a prototype key', async () => {
    await expectCode({ interval: 'week' as never }, pricingErrors.pricing_interval_unsupported, { interval: ['unsupported'] });
    await expectCode({ interval: 'constructor' as never }, pricingErrors.pricing_interval_unsupported, { interval: ['unsupported'] });
  });

  it('writes nothing when it refuses', async () => {
    const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM quotes')).rows[0].n;
    const before = await count();
    await db.transaction((tx) => createQuote(tx, input({ planId: 'nope' }))).catch(() => undefined);
    expect(await count()).toBe(before);
  });

  it('refuses a quote for an enrollment that does not exist (foreign key)', async () => {
    await expect(db.transaction((tx) => createQuote(tx, input({ enrollmentId: 'enr_missing' })))).rejects.toThrow();
  });

  it('prices a currency priced for only some plans of a hand-built catalogue', async () => {
    const partial: Catalog = { ...catalog, plans: [{ ...catalog.plans[0], prices: { month: { EUR: 900 }, year: { EUR: 9000 } } }] };
    await expectCode({ catalog: partial, planId: 'starter', currency: 'USD' }, pricingErrors.pricing_currency_unsupported, { currency: ['unsupported'] });
  });
});
