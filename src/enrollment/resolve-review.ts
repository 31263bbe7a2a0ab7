import type { Deps } from '../deps.js';
import type { StoredRisk } from '../risk/index.js';
import { advance } from './advance.js';
import type { FlowContext } from './context.js';
import { loadEnrollment } from './load-enrollment.js';
import type { Enrollment } from './repository.js';

/**
 * An admin's verdict on an enrollment held for review. Approve: back to
 * payment_attached, so the customer completes (and only then is charged); the
 * approval covers the reasons the reviewer saw, so they never hold it again,
 * while a new reason (another card) is judged afresh. The enrollment gets a
 * fresh lease, since the review may have outlasted it. Reject: terminal.
 */
export async function resolveReview(
  deps: Pick<Deps, 'db' | 'config' | 'vault'>,
  id: string,
  verdict: 'approve' | 'reject',
  ctx: FlowContext,
): Promise<Enrollment> {
  const e = await loadEnrollment(deps.db, id, deps.vault);
  const before = e.risk;
  const data = { score: before?.score ?? null, reasons: before?.reasons.map((r) => r.code) ?? [] };
  if (verdict === 'reject') {
    return advance(deps.db, e, { event: 'reject_review', patch: { risk: before ? { ...before, decision: 'deny' } : null }, audit: { action: 'risk.review_rejected', data } }, ctx);
  }
  const risk: StoredRisk | null = before
    ? { ...before, decision: 'allow', review: { approved: before.reasons.map((r) => r.code), at: ctx.now.toISOString() } }
    : null;
  const lease = new Date(ctx.now.getTime() + deps.config.enrollmentTtlMinutes * 60_000);
  return advance(
    deps.db,
    e,
    { event: 'approve_review', patch: { risk, expires_at: lease > e.expires_at ? lease : e.expires_at }, audit: { action: 'risk.review_approved', data } },
    ctx,
  );
}
