import type { Deps } from '../deps.js';
import { open } from '../kernel/crypto.js';
import { mfaErrors } from './errors.js';
import { attemptWindowRemaining, ATTEMPTS_PER_WINDOW, takeAttempt, type TotpFactor } from './repository.js';
import { verifyTotp } from './totp.js';

/**
 * Count the attempt (committed before comparing, so parallel guesses cannot
 * pass the cap), then compare within ±1 step. Returns the matched time step,
 * which the caller must accept atomically (acceptStep) to refuse replays.
 */
export async function checkTotpCode(deps: Pick<Deps, 'db' | 'keys'>, factor: TotpFactor, code: string, now: Date): Promise<number> {
  const attempts = await takeAttempt(deps.db, factor.id, now);
  const exceeded = async () =>
    mfaErrors.mfa_attempts_exceeded({ headers: { 'retry-after': String(await attemptWindowRemaining(deps.db, factor.id, now)) } });
  if (attempts === null) throw await exceeded();
  const result = await verifyTotp(open(deps.keys.totp, factor.secret_sealed), code, now, factor);
  if (!result.valid) {
    const remaining = ATTEMPTS_PER_WINDOW - attempts;
    if (remaining <= 0) throw await exceeded();
    throw mfaErrors.mfa_code_invalid({ extra: { attempts_remaining: remaining }, fields: { code: ['invalid'] } });
  }
  return result.step;
}
