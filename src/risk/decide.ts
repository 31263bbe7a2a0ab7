import type { RiskPolicy } from './policy.js';
import type { Decision, Reason, ReasonCode } from './rules.js';

/** A rule that fired, with its score from the policy; rules scored 0 are off and give no reason. */
export function reason(policy: RiskPolicy, code: ReasonCode): Reason[] {
  const score = policy.scores[code];
  // The allowlist marker scores nothing by design but must still be recorded.
  return score > 0 || code === 'allowlisted' ? [{ code, score }] : [];
}

/**
 * The decision for a set of reasons. A blocklist hit denies and an allowlist
 * hit allows whatever the score (block wins over allow); otherwise the summed
 * score meets the thresholds: deny ≥ review ≥ challenge.
 */
export function decide(reasons: Reason[], policy: RiskPolicy): { score: number; decision: Decision } {
  const score = reasons.reduce((sum, r) => sum + r.score, 0);
  const has = (code: ReasonCode) => reasons.some((r) => r.code === code);
  if (has('blocklisted')) return { score, decision: 'deny' };
  if (has('allowlisted')) return { score, decision: 'allow' };
  const t = policy.thresholds;
  const decision: Decision = score >= t.deny ? 'deny' : score >= t.review ? 'review' : score >= t.challenge ? 'challenge' : 'allow';
  return { score, decision };
}
