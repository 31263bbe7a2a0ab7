import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import type { FlowContext } from '../enrollment/index.js';
import { isAppError } from '../kernel/errors.js';
import { checkTotpCode, refuseTotp } from './check-totp-code.js';
import { mfaErrors } from './errors.js';
import { loadEnrollmentForMfa } from './load-enrollment-for-mfa.js';
import { acceptStep, findLiveFactor, lockFactor } from './repository.js';

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
  deps: Pick<Deps, 'db' | 'keys' | 'vault'>,
  enrollmentId: string,
  input: { code: string; factorId?: string },
  ctx: FlowContext,
): Promise<TotpConfirmation> {
  const e = await loadEnrollmentForMfa(deps.db, enrollmentId, ctx.now, deps.vault);
  const factor = await findLiveFactor(deps.db, e.id, input.factorId);
  if (!factor) throw mfaErrors.mfa_factor_not_found({ extra: input.factorId ? { factor_id: input.factorId } : {} });

  const who = { actor: ctx.actor, channel: ctx.channel, requestId: ctx.requestId, subject: { type: 'enrollment', id: e.id } };
  const step = await checkTotpCode(deps, factor, input.code, ctx.now, who);

  try {
    return await accept(deps, e.id, factor.id, step, ctx);
  } catch (err) {
    // A replay is a failed attempt too (the transaction that refused it rolled back, so it is audited here).
    if (isAppError(err, mfaErrors.mfa_code_replayed)) throw await refuseTotp(deps, factor, who, [['mfa.totp_failed', { reason: 'code_replayed' }]], err);
    throw err;
  }
}

/** Record the accepted step (never again: replay refusal) and activate the factor on its first success. */
async function accept(deps: Pick<Deps, 'db' | 'vault'>, enrollmentId: string, factorId: string, step: number, ctx: FlowContext): Promise<TotpConfirmation> {
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
