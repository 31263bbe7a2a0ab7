import type { Queryable } from '../../db/index.js';
import { newId } from '../../kernel/ids.js';
import type { Assignment } from './assign-variant.js';

/**
 * Log that a visitor was exposed to experiment variants. The plan list logs a
 * visitor's first view per experiment only (ON CONFLICT DO NOTHING), so a
 * reload does not inflate the counts; each quote logs once.
 */
export async function recordExposures(
  db: Queryable,
  e: { assignments: Assignment[]; visitorId: string; surface: 'plans' | 'quote'; quoteId?: string; rulesVersion: string; now: Date },
): Promise<void> {
  for (const a of e.assignments) {
    await db.query(
      `INSERT INTO pricing_exposures (id, experiment_id, variant_id, visitor_id, surface, quote_id, rules_version, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [newId('pex', e.now.getTime()), a.experiment, a.variant, e.visitorId, e.surface, e.quoteId ?? null, e.rulesVersion, e.now.toISOString()],
    );
  }
}
