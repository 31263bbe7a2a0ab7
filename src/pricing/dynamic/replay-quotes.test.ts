import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/helpers/db.js';
import { deriveKey } from '../../kernel/crypto.js';
import { newId } from '../../kernel/ids.js';
import { createQuote, type CreateQuoteInput } from '../create-quote.js';
import { loadCatalog } from '../load-catalog.js';
import { loadTaxRules } from '../tax-rules.js';
import { DEFAULT_PRICING_RULES_PATH, loadPricingRules, parsePricingRules } from './load-pricing-rules.js';
import { replayQuotes } from './replay-quotes.js';

const catalog = loadCatalog();
const taxRules = loadTaxRules();
const live = loadPricingRules(catalog);
const blackFriday = loadPricingRules(catalog, DEFAULT_PRICING_RULES_PATH.replace('pricing-rules.json', 'pricing-rules.example.json'));
const signingKey = deriveKey('test-secret-test-secret', 'quote');
const now = new Date('2026-11-20T10:00:00.000Z');

describe('replayQuotes (the what-if command)', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    db = await createTestDb();
    const quote = async (over: Partial<CreateQuoteInput> & Pick<CreateQuoteInput, 'planId' | 'interval' | 'currency'>, completed = false) => {
      const enrollmentId = newId('enr');
      await db.query(`INSERT INTO enrollments (id, channel, state, locale, expires_at) VALUES ($1, 'web', 'plan_selected', 'en', $2)`, [enrollmentId, new Date(now.getTime() + 86_400_000)]);
      const q = await db.transaction((tx) =>
        createQuote(tx, { catalog, taxRules, enrollmentId, now, ttlMinutes: 30, signingKey, pricing: { rules: live }, ...over }),
      );
      await db.query(`UPDATE enrollments SET quote_id = $1, state = $2 WHERE id = $3`, [q.id, completed ? 'completed' : 'plan_selected', enrollmentId]);
      return q;
    };
    await quote({ planId: 'pro', interval: 'year', currency: 'EUR', country: 'DE' }, true); // 19000 gross, 15966 net
    await quote({ planId: 'starter', interval: 'month', currency: 'EUR', country: 'DE' }); // not in the campaign
    await quote({ planId: 'pro', interval: 'month', currency: 'INR', country: 'IN' }, true); // PPP 40 %
    await quote({ planId: 'business', interval: 'year', currency: 'BRL', country: 'BR', pricing: { rules: live, signals: { team_size: 60 } } }); // PPP + team
  });
  afterAll(() => db.dropAfter());

  it('reproduces every recorded quote exactly when replayed against the rules that priced it', async () => {
    const r = await replayQuotes(db, { rules: live, taxRules });
    expect(r.quotes).toBe(4);
    expect(r.skipped).toEqual([]);
    for (const c of r.currencies) {
      expect(c.changed).toBe(0);
      expect(c.net_after).toBe(c.net_before);
      expect(c.gross_after).toBe(c.gross_before);
    }
    expect(r.currencies.map((c) => [c.currency, c.quotes, c.completed, c.completed_share])).toEqual([['BRL', 1, 0, 0], ['EUR', 2, 1, 0.5], ['INR', 1, 1, 1]]);
  });

  it('reports what a Black Friday campaign would have done to revenue, per currency, evaluated inside its window', async () => {
    const r = await replayQuotes(db, { rules: blackFriday, taxRules, at: new Date('2026-11-28T12:00:00Z') });
    const eur = r.currencies.find((c) => c.currency === 'EUR')!;
    // Pro annual: 19000 gross → 25 % off → 14250 gross, 11975 net (19 % VAT inside); the starter monthly quote is untouched.
    expect(eur).toMatchObject({ quotes: 2, changed: 1, cheaper: 1, dearer: 0, gross_before: 19000 + 900, gross_after: 14250 + 900, completed: 1, completed_changed: 1 });
    expect(eur.net_before - eur.net_after).toBe(15966 - 11975);
    expect(eur.completed_net_after).toBe(11975);
    // BRL business annual with the team signal: 30 % + 10 % + 25 % asked, the 50 % guardrail holds.
    expect(r.currencies.find((c) => c.currency === 'BRL')).toMatchObject({ changed: 1, net_before: 149400, net_after: 124500 });
    expect(r.currencies.find((c) => c.currency === 'INR')).toMatchObject({ changed: 0 });
    // Outside the window (each quote at its own time, 20 November) nothing changes.
    expect((await replayQuotes(db, { rules: blackFriday, taxRules })).currencies.every((c) => c.changed === 0)).toBe(true);
  });

  it('shows the cost of dropping regional pricing: the Indian quote gets dearer', async () => {
    const noPpp = parsePricingRules({ ...structuredClone(live), ppp: {}, experiments: [] }, catalog);
    const r = await replayQuotes(db, { rules: noPpp, taxRules, batchSize: 1 }); // one row per page: the keyset paging reaches every quote
    expect(r.quotes).toBe(4);
    expect(r.currencies.find((c) => c.currency === 'INR')).toMatchObject({ changed: 1, dearer: 1, gross_before: 101940, gross_after: 169900, completed_changed: 1 });
  });

  it('replays only the quotes in the window asked for', async () => {
    expect((await replayQuotes(db, { rules: live, taxRules, since: new Date(now.getTime() + 1) })).quotes).toBe(0);
    expect((await replayQuotes(db, { rules: live, taxRules, until: now })).quotes).toBe(0);
    expect((await replayQuotes(db, { rules: live, taxRules, since: now })).quotes).toBe(4);
  });
});
