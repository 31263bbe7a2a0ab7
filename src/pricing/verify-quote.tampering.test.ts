import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/helpers/db.js';
import { deriveKey } from '../kernel/crypto.js';
import { isAppError, type ErrorFactory } from '../kernel/errors.js';
import { newId } from '../kernel/ids.js';
import type { Db, Queryable } from '../db/index.js';
import { createQuote, type CreateQuoteInput } from './create-quote.js';
import { pricingErrors } from './errors.js';
import { loadPricingRules } from './dynamic/load-pricing-rules.js';
import { loadCatalog } from './load-catalog.js';
import { loadTaxRules } from './tax-rules.js';
import { getQuote } from './repository.js';
import type { Quote } from './types.js';
import { verifyQuote } from './verify-quote.js';

const signingKey = deriveKey('test-secret-test-secret', 'quote');
const now = new Date('2026-11-02T10:00:00.000Z');
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (!isAppError(err)) throw err;
    expect(err.status).toBe(422);
    return err.code;
  }
}
const is = (f: ErrorFactory) => f.code;

/** A fresh enrollment on `db` and a quote for it. */
async function quoteOn(db: Queryable & Pick<Db, 'transaction'>, over: Pick<CreateQuoteInput, 'planId' | 'interval' | 'currency'> & Partial<CreateQuoteInput>): Promise<Quote> {
  const enrollmentId = newId('enr');
  await db.query(`INSERT INTO enrollments (id, channel, state, locale, expires_at) VALUES ($1, 'web', 'started', 'en', $2)`, [enrollmentId, at(24 * 60)]);
  return db.transaction((tx) => createQuote(tx, { catalog: loadCatalog(), taxRules: loadTaxRules(), enrollmentId, now, ttlMinutes: 30, signingKey, ...over }));
}

describe('verifyQuote', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  let quote: Quote;
  beforeAll(async () => {
    db = await createTestDb();
    quote = await quoteOn(db, { planId: 'business', interval: 'month', currency: 'USD' });
  });
  afterAll(() => db.dropAfter());

  it('accepts the stored quote until just before it expires', async () => {
    const stored = (await getQuote(db, quote.id))!;
    expect(codeOf(() => verifyQuote(stored, { now, signingKey }))).toBeUndefined();
    expect(codeOf(() => verifyQuote(stored, { now: new Date(at(30).getTime() - 1), signingKey }))).toBeUndefined();
  });

  it('refuses it from expires_at on with pricing_quote_expired', () => {
    expect(codeOf(() => verifyQuote(quote, { now: at(30), signingKey }))).toBe(is(pricingErrors.pricing_quote_expired));
    expect(codeOf(() => verifyQuote(quote, { now: at(60 * 24), signingKey }))).toBe(is(pricingErrors.pricing_quote_expired));
  });

  it.each<[string, (q: Quote) => Quote]>([
    ['amount', (q) => ({ ...q, amount: 1 })],
    ['plan', (q) => ({ ...q, planId: 'starter' })],
    ['currency', (q) => ({ ...q, currency: 'JPY' })],
    ['trial', (q) => ({ ...q, trialDays: 365 })],
    ['expiry', (q) => ({ ...q, expiresAt: at(60 * 24 * 365) })],
    ['enrollment', (q) => ({ ...q, enrollmentId: 'enr_someone_else' })],
    ['line amount', (q) => ({ ...q, lines: [{ ...q.lines[0], amount: 1 }] })],
    ['net', (q) => ({ ...q, net: 1 })],
    ['tax', (q) => ({ ...q, tax: { ...q.tax, amount: 1, rateBp: 1 } })],
    ['tax mode', (q) => ({ ...q, tax: { ...q.tax, mode: 'reverse_charge' } })],
    ['VAT id', (q) => ({ ...q, vatId: 'DE136695976' })],
  ])('refuses a quote whose %s was changed with pricing_quote_invalid', (_, tamper) => {
    expect(codeOf(() => verifyQuote(tamper(quote), { now, signingKey }))).toBe(is(pricingErrors.pricing_quote_invalid));
  });

  it('refuses a quote signed with another key, and a garbage signature', () => {
    const other = deriveKey('another-secret-entirely', 'quote');
    expect(codeOf(() => verifyQuote(quote, { now, signingKey: other }))).toBe(is(pricingErrors.pricing_quote_invalid));
    expect(codeOf(() => verifyQuote({ ...quote, signature: 'not-hex' }, { now, signingKey }))).toBe(is(pricingErrors.pricing_quote_invalid));
  });

  it('the database refuses to edit a quote', async () => {
    await expect(db.query('UPDATE quotes SET amount = 1 WHERE id = $1', [quote.id])).rejects.toThrow();
    expect((await getQuote(db, quote.id))!.amount).toBe(5500);
  });

  it('an amount edited in the database behind the trigger is refused as invalid, even once expired', async () => {
    // Simulates someone with table-owner rights lowering the price: the HMAC key is not in the database.
    await db.transaction(async (tx) => {
      await tx.query('ALTER TABLE quotes DISABLE TRIGGER quotes_no_update');
      // Both amounts, so the net + tax = amount check holds and only the signature can tell.
      await tx.query('UPDATE quotes SET amount = 1, net_amount = 1 WHERE id = $1', [quote.id]);
      await tx.query('ALTER TABLE quotes ENABLE TRIGGER quotes_no_update');
    });
    const stored = (await getQuote(db, quote.id))!;
    expect(stored.amount).toBe(1);
    expect(codeOf(() => verifyQuote(stored, { now, signingKey }))).toBe(is(pricingErrors.pricing_quote_invalid));
    expect(codeOf(() => verifyQuote(stored, { now: at(31), signingKey }))).toBe(is(pricingErrors.pricing_quote_invalid));
  });
});

describe('verifyQuote on a dynamically priced quote (quote.v3)', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  let quote: Quote;
  beforeAll(async () => {
    db = await createTestDb();
    quote = await quoteOn(db, { planId: 'pro', interval: 'month', currency: 'INR', country: 'IN', pricing: { rules: loadPricingRules(loadCatalog()) } });
  });
  afterAll(() => db.dropAfter());

  it('signs the adjustment line: the stored quote verifies and charges the adjusted price', async () => {
    const stored = (await getQuote(db, quote.id))!;
    expect(stored.lines.map((l) => [l.type, l.reason ?? null, l.amount])).toEqual([['plan', null, 169900], ['adjustment', 'ppp_discount', -67960]]);
    expect(stored.amount).toBe(101940);
    expect(codeOf(() => verifyQuote(stored, { now, signingKey }))).toBeUndefined();
  });

  it.each<[string, (q: Quote) => Quote]>([
    ['adjustment amount', (q) => ({ ...q, lines: [q.lines[0], { ...q.lines[1], amount: -169899 }] })],
    ['adjustment reason', (q) => ({ ...q, lines: [q.lines[0], { ...q.lines[1], reason: 'campaign_black_friday' }] })],
    ['adjustment line removed', (q) => ({ ...q, lines: [q.lines[0]] })],
    ['adjustment turned into a plan line', (q) => ({ ...q, lines: [q.lines[0], { ...q.lines[1], type: 'plan' }] })],
    ['list amount', (q) => ({ ...q, pricing: { ...q.pricing, listAmount: 1 } })],
    ['rule version', (q) => ({ ...q, pricing: { ...q.pricing, rulesVersion: 'older' } })],
  ])('refuses a quote whose %s was changed with pricing_quote_invalid', (_, tamper) => {
    expect(codeOf(() => verifyQuote(tamper(quote), { now, signingKey }))).toBe(is(pricingErrors.pricing_quote_invalid));
  });
});
