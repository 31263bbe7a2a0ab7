import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { lockEnrollment, type FlowContext } from '../enrollment/index.js';
import { loadEnrollmentForMfa } from '../mfa/index.js';
import { passwordErrors } from './errors.js';
import { hashPassword } from './password-hash.js';
import { normalizePassword, passwordProblems } from './password-policy.js';
import { upsertPassword } from './repository.js';

/** Optionally give the account a password (Argon2id); replaces one set earlier in the same enrollment. */
export async function setPassword(deps: Pick<Deps, 'db' | 'vault'>, enrollmentId: string, password: string, ctx: FlowContext): Promise<void> {
  const e = await loadEnrollmentForMfa(deps.db, enrollmentId, ctx.now, deps.vault);
  const problems = passwordProblems(password);
  if (problems.length) throw passwordErrors.password_rejected({ fields: { password: problems } });
  // Hash outside the transaction: 12 ms of CPU should not hold a row lock.
  const hash = await hashPassword(normalizePassword(password));
  await deps.db.transaction(async (tx) => {
    const locked = await lockEnrollment(tx, e.id, deps.vault);
    if (!locked || locked.state === 'completed') throw passwordErrors.password_rejected({ detail: 'The enrollment completed meanwhile' });
    await upsertPassword(tx, { enrollmentId: e.id, hash, now: ctx.now });
    await recordEvent(tx, { action: 'password.set', actor: ctx.actor, channel: ctx.channel, requestId: ctx.requestId, subject: { type: 'enrollment', id: e.id } });
  });
}
