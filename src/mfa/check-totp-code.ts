import { recordEvents, type AuditEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { open } from '../kernel/crypto.js';
import type { AppError } from '../kernel/errors.js';
import { mfaErrors } from './errors.js';
import { attemptWindowRemaining, ATTEMPTS_PER_WINDOW, takeAttempt, type TotpFactor } from './repository.js';
import { verifyTotp } from './totp.js';

/** Who the audit rows of a refusal are about: the enrollment (confirmation) or the session's customer (step-up). */
export type TotpAuditContext = Pick<AuditEvent, 'actor' | 'channel' | 'requestId' | 'subject'>;

/** Audit the refusal in its own transaction (the request then fails), never with the code or secret. */
export async function refuseTotp(deps: Pick<Deps, 'db'>, factor: TotpFactor, who: TotpAuditContext, refusals: [action: 'mfa.totp_failed' | 'mfa.totp_locked', data: Record<string, unknown>][], err: AppError) {
  await deps.db.transaction((tx) => recordEvents(tx, refusals.map(([action, data]) => ({ ...who, action, data: { factor_id: factor.id, ...data } }))));
  return err;
}

/**
 * Count the attempt (committed before comparing, so parallel guesses cannot
 * pass the cap), then compare within ±1 step. Returns the matched time step,
 * which the caller must accept atomically (acceptStep) to refuse replays.
 * Every refusal is audited (reason, attempts left; `mfa.totp_locked` on the
 * guess that spends the window).
 */
export async function checkTotpCode(deps: Pick<Deps, 'db' | 'keys'>, factor: TotpFactor, code: string, now: Date, who: TotpAuditContext): Promise<number> {
  const exceeded = async () => {
    const retryAfter = await attemptWindowRemaining(deps.db, factor.id, now);
    return { retryAfter, err: mfaErrors.mfa_attempts_exceeded({ headers: { 'retry-after': String(retryAfter) } }) };
  };
  const attempts = await takeAttempt(deps.db, factor.id, now);
  if (attempts === null) {
    const { retryAfter, err } = await exceeded();
    throw await refuseTotp(deps, factor, who, [['mfa.totp_failed', { reason: 'attempts_exhausted', attempts_remaining: 0, retry_after_seconds: retryAfter }]], err);
  }
  const result = await verifyTotp(open(deps.keys.totp, factor.secret_sealed), code, now, factor);
  if (!result.valid) {
    const remaining = Math.max(0, ATTEMPTS_PER_WINDOW - attempts);
    const failed: ['mfa.totp_failed', Record<string, unknown>] = ['mfa.totp_failed', { reason: 'code_invalid', attempts_remaining: remaining }];
    if (remaining === 0) {
      const { retryAfter, err } = await exceeded();
      throw await refuseTotp(deps, factor, who, [failed, ['mfa.totp_locked', { reason: 'attempt_cap_reached', retry_after_seconds: retryAfter }]], err);
    }
    throw await refuseTotp(deps, factor, who, [failed], mfaErrors.mfa_code_invalid({ extra: { attempts_remaining: remaining }, fields: { code: ['invalid'] } }));
  }
  return result.step;
}
