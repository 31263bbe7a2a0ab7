import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import type { FlowContext } from '../enrollment/index.js';
import { mfaErrors } from './errors.js';
import { loadEnrollmentForMfa } from './load-enrollment-for-mfa.js';
import { checkTotpCode } from './check-totp-code.js';
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
  deps: Pick<Deps, 'db' | 'keys'>,
  enrollmentId: string,
  input: { code: string; factorId?: string },
  ctx: FlowContext,
): Promise<TotpConfirmation> {
  const e = await loadEnrollmentForMfa(deps.db, enrollmentId, ctx.now);
  const factor = await findLiveFactor(deps.db, e.id, input.factorId);
  if (!factor) throw mfaErrors.mfa_factor_not_found({ extra: input.factorId ? { factor_id: input.factorId } : {} });

  const step = await checkTotpCode(deps, factor, input.code, ctx.now);

  return deps.db.transaction(async (tx) => {
    const before = await lockFactor(tx, factor.id);
    if (!before || before.status === 'superseded') throw mfaErrors.mfa_factor_not_found();
    const accepted = await acceptStep(tx, factor.id, step, ctx.now);
    // The step was accepted before (or by a parallel request that just won the row).
    if (!accepted) throw mfaErrors.mfa_code_replayed();
    if (before.status === 'pending') {
      await recordEvent(tx, {
        action: 'mfa.totp_activated',
        actor: ctx.actor,
        channel: ctx.channel,
        requestId: ctx.requestId,
        subject: { type: 'enrollment', id: e.id },
        data: { factor_id: factor.id },
      });
    }
    return { factor_id: accepted.id, status: 'active' as const, activated_at: accepted.activated_at!.toISOString() };
  });
}
