import { recordEvent, recordEvents, type AuditEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import type { FlowContext } from '../enrollment/index.js';
import { open } from '../kernel/crypto.js';
import { mfaErrors } from './errors.js';
import { isAppError, type AppError } from '../kernel/errors.js';
import { loadEnrollmentForMfa } from './load-enrollment-for-mfa.js';
import { acceptStep, attemptWindowRemaining, ATTEMPTS_PER_WINDOW, findLiveFactor, lockFactor, takeAttempt } from './repository.js';
import { verifyTotp } from './totp.js';

export interface TotpConfirmation {
  factor_id: string;
  status: 'active';
  activated_at: string;
}

/**
 * Check an authenticator code for the enrollment's factor (the newest, or
 * `factorId`). The attempt is counted and committed before the comparison;
 * an accepted time step is never accepted again. The first success activates
 * the factor. Whether it also counts as the enrollment's verification is the
 * risk engine's call, not this one's: the enrollment state is untouched.
 */
export async function confirmTotp(
  deps: Pick<Deps, 'db' | 'keys'>,
  enrollmentId: string,
  input: { code: string; factorId?: string },
  ctx: FlowContext,
): Promise<TotpConfirmation> {
  const e = await loadEnrollmentForMfa(deps.db, enrollmentId, ctx.now);
  const factor = await findLiveFactor(deps.db, e.id, input.factorId);
  if (!factor) throw mfaErrors.mfa_factor_not_found({ extra: input.factorId ? { factor_id: input.factorId } : {} });

  // Every refusal is audited (reason, attempts left; `mfa.totp_locked` on the guess that spends the window), never the code or secret.
  const audit = (action: 'mfa.totp_failed' | 'mfa.totp_locked', data: Record<string, unknown>): AuditEvent => ({
    action, actor: ctx.actor, channel: ctx.channel, requestId: ctx.requestId, subject: { type: 'enrollment', id: e.id }, data: { factor_id: factor.id, ...data },
  });
  const refuse = async (events: AuditEvent[], err: AppError) => {
    await deps.db.transaction((tx) => recordEvents(tx, events));
    return err;
  };
  const exceeded = async () => {
    const retryAfter = await attemptWindowRemaining(deps.db, factor.id, ctx.now);
    return { retryAfter, err: mfaErrors.mfa_attempts_exceeded({ headers: { 'retry-after': String(retryAfter) } }) };
  };

  const attempts = await takeAttempt(deps.db, factor.id, ctx.now);
  if (attempts === null) {
    const { retryAfter, err } = await exceeded();
    throw await refuse([audit('mfa.totp_failed', { reason: 'attempts_exhausted', attempts_remaining: 0, retry_after_seconds: retryAfter })], err);
  }
  const result = await verifyTotp(open(deps.keys.totp, factor.secret_sealed), input.code, ctx.now, factor);
  if (!result.valid) {
    const remaining = Math.max(0, ATTEMPTS_PER_WINDOW - attempts);
    const failed = audit('mfa.totp_failed', { reason: 'code_invalid', attempts_remaining: remaining });
    if (remaining === 0) {
      const { retryAfter, err } = await exceeded();
      throw await refuse([failed, audit('mfa.totp_locked', { reason: 'attempt_cap_reached', retry_after_seconds: retryAfter })], err);
    }
    throw await refuse([failed], mfaErrors.mfa_code_invalid({ extra: { attempts_remaining: remaining }, fields: { code: ['invalid'] } }));
  }

  try {
    return await accept(deps, e.id, factor.id, result.step, ctx);
  } catch (err) {
    // A replay is a failed attempt too (the transaction that refused it rolled back, so it is audited here).
    if (isAppError(err, mfaErrors.mfa_code_replayed)) throw await refuse([audit('mfa.totp_failed', { reason: 'code_replayed' })], err);
    throw err;
  }
}

/** Record the accepted step (never again: replay refusal) and activate the factor on its first success. */
async function accept(deps: Pick<Deps, 'db'>, enrollmentId: string, factorId: string, step: number, ctx: FlowContext): Promise<TotpConfirmation> {
  return deps.db.transaction(async (tx) => {
    const before = await lockFactor(tx, factorId);
    if (!before || before.status === 'superseded') throw mfaErrors.mfa_factor_not_found();
    const accepted = await acceptStep(tx, factorId, step, ctx.now);
    // The step was accepted before (or by a parallel request that just won the row).
    if (!accepted) throw mfaErrors.mfa_code_replayed();
    if (before.status === 'pending') {
      await recordEvent(tx, {
        action: 'mfa.totp_activated',
        actor: ctx.actor,
        channel: ctx.channel,
        requestId: ctx.requestId,
        subject: { type: 'enrollment', id: enrollmentId },
        data: { factor_id: factorId },
      });
    }
    return { factor_id: accepted.id, status: 'active' as const, activated_at: accepted.activated_at!.toISOString() };
  });
}
