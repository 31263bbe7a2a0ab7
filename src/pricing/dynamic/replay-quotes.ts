import type { Queryable } from '../../db/index.js';
import { isAppError } from '../../kernel/errors.js';
import { applyTax } from '../apply-tax.js';
import { fromRow, type QuoteRow } from '../repository.js';
import type { TaxRules } from '../tax-rules.js';
import { priceOffer } from './price-offer.js';
import type { PricingRules } from './rules-schema.js';

export interface CurrencyDelta {
  currency: string;
  quotes: number;
  /** Quotes the new rules would price differently (net before tax), and in which direction. */
  changed: number;
  cheaper: number;
  dearer: number;
  /** Net revenue (what we keep; tax is passed on) over all replayed quotes, minor units. */
  net_before: number;
  net_after: number;
  gross_before: number;
  gross_after: number;
  /** Quotes linked to a completed enrollment: the revenue that actually converted, before and after. */
  completed: number;
  completed_share: number;
  completed_net_before: number;
  completed_net_after: number;
  completed_changed: number;
}

export interface WhatIfReport {
  rules_version: string;
  quotes: number;
  currencies: CurrencyDelta[];
  /** Quotes that could not be re-priced (for example a tax rule that now refuses their VAT id). */
  skipped: { quote_id: string; code: string }[];
}

/**
 * Replay recorded quotes against another rule set, before it goes live: each
 * quote's own list price, plan, interval, country, declared signals and
 * visitor id go through the engine again, then tax, and the totals are
 * compared per currency. `at` fixes the evaluation time (to see a campaign
 * that has not started); by default each quote is replayed at its own time.
 * Read-only: nothing is written, no exposure is logged.
 */
export async function replayQuotes(
  db: Queryable,
  opts: { rules: PricingRules; taxRules: TaxRules; since?: Date; until?: Date; at?: Date; batchSize?: number },
): Promise<WhatIfReport> {
  const byCurrency = new Map<string, CurrencyDelta>();
  const skipped: WhatIfReport['skipped'] = [];
  let quotes = 0;
  let cursor: { created_at: string; id: string } = { created_at: (opts.since ?? new Date(0)).toISOString(), id: '' };
  const until = (opts.until ?? new Date('9999-01-01T00:00:00Z')).toISOString();
  for (;;) {
    // Keyset pages: a large quotes table is read in constant memory.
    const { rows } = await db.query<QuoteRow & { completed: boolean }>(
      `SELECT q.*, COALESCE(e.state = 'completed', false) AS completed FROM quotes q LEFT JOIN enrollments e ON e.quote_id = q.id
        WHERE (q.created_at, q.id) > ($1::timestamptz, $2) AND q.created_at < $3::timestamptz ORDER BY q.created_at, q.id LIMIT $4`,
      [cursor.created_at, cursor.id, until, opts.batchSize ?? 1000],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const q = fromRow(row);
      quotes++;
      let after: { net: number; gross: number };
      try {
        const offer = priceOffer(
          { rules: opts.rules, signals: q.pricing.signals, visitorId: q.pricing.visitorId ?? undefined },
          { planId: q.planId, interval: q.interval, currency: q.currency, list: q.pricing.listAmount, country: q.tax.country ?? undefined, at: opts.at ?? q.createdAt },
        );
        after = applyTax(opts.taxRules, offer.amount, { country: q.tax.country ?? undefined, vatId: q.vatId ?? undefined });
      } catch (err) {
        if (!isAppError(err)) throw err;
        skipped.push({ quote_id: q.id, code: err.code });
        continue;
      }
      const d = byCurrency.get(q.currency) ?? emptyDelta(q.currency);
      byCurrency.set(q.currency, d);
      const changed = after.net !== q.net;
      d.quotes++;
      d.changed += changed ? 1 : 0;
      d.cheaper += after.net < q.net ? 1 : 0;
      d.dearer += after.net > q.net ? 1 : 0;
      d.net_before += q.net;
      d.net_after += after.net;
      d.gross_before += q.amount;
      d.gross_after += after.gross;
      if (row.completed) {
        d.completed++;
        d.completed_net_before += q.net;
        d.completed_net_after += after.net;
        d.completed_changed += changed ? 1 : 0;
      }
    }
    const last = rows[rows.length - 1];
    cursor = { created_at: new Date(last.created_at).toISOString(), id: last.id };
  }
  const currencies = [...byCurrency.values()]
    .map((d) => ({ ...d, completed_share: d.quotes > 0 ? Math.round((d.completed / d.quotes) * 10_000) / 10_000 : 0 }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
  return { rules_version: opts.rules.version, quotes, currencies, skipped };
}

function emptyDelta(currency: string): CurrencyDelta {
  return {
    currency, quotes: 0, changed: 0, cheaper: 0, dearer: 0, net_before: 0, net_after: 0, gross_before: 0, gross_after: 0,
    completed: 0, completed_share: 0, completed_net_before: 0, completed_net_after: 0, completed_changed: 0,
  };
}
