import { decide } from './decide.js';
import type { RiskPolicy } from './policy.js';
import type { Decision, Reason, ReasonCode } from './rules.js';

/** Where the engine looks: the profile (who, from where, how fast) and the payment (card, trial) before any charge. */
export type RiskStage = 'profile' | 'payment';

/**
 * What is stored with the enrollment (`enrollments.risk`). Reasons are kept
 * per stage, so a later look at one stage replaces that stage's reasons and
 * never counts another stage's twice. No contact data: codes, scores, a country.
 */
export interface StoredRisk {
  score: number;
  decision: Decision;
  reasons: Reason[];
  stages: Partial<Record<RiskStage, Reason[]>>;
  /** The IP country a trusted proxy reported at the profile step; later compared with the card's. */
  ip_country: string | null;
  /** An admin approved after review, knowing these reasons: they alone never hold the enrollment again. */
  review?: { approved: ReasonCode[]; at: string };
}

/** The enrollment's risk with one stage's reasons (re)placed and the decision taken over all of them. */
export function withStage(prev: StoredRisk | null, stage: RiskStage, reasons: Reason[], policy: RiskPolicy, facts: { ip_country?: string | null } = {}): StoredRisk {
  const stages = { ...prev?.stages, [stage]: reasons };
  const all = [...(stages.profile ?? []), ...(stages.payment ?? [])];
  const { score, decision } = decide(all, policy);
  const review = prev?.review;
  // An approval covers what the reviewer saw. A new reason (another card, a new trial hit) is decided afresh.
  const covered = review && decision !== 'allow' && all.every((r) => review.approved.includes(r.code)) && !all.some((r) => r.code === 'blocklisted');
  return {
    score,
    decision: covered ? 'allow' : decision,
    reasons: all,
    stages,
    ip_country: facts.ip_country !== undefined ? facts.ip_country : prev?.ip_country ?? null,
    ...(review ? { review } : {}),
  };
}

/** Whether two assessments say the same (so an unchanged re-check writes nothing). */
export function sameAssessment(a: StoredRisk | null, b: StoredRisk): boolean {
  if (!a) return false;
  const codes = (r: StoredRisk) => r.reasons.map((x) => `${x.code}:${x.score}`).sort().join(',');
  return a.decision === b.decision && a.score === b.score && codes(a) === codes(b);
}

/** The `risk.assessed` audit data: stage, score, decision and reason codes with their scores; no contact data. */
export function assessedEvent(stage: RiskStage, risk: StoredRisk) {
  return { stage, score: risk.score, decision: risk.decision, reasons: risk.reasons.map((r) => ({ code: r.code, score: r.score })) };
}
