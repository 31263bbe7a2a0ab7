import { recordEvent, recordEvents } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { hmac } from '../kernel/crypto.js';
import { consumeCode, identityErrors, latestLiveCode, verifyCode } from '../identity/index.js';
import { advance, assertCanAdvance } from './advance.js';
import { codeFailureEvents } from './code-audit.js';
import { assertOpenForFactor } from './assert-open-for-factor.js';
import type { FlowContext } from './context.js';
import { loadEnrollment } from './load-enrollment.js';
import type { Enrollment } from './repository.js';

/** Confirm the live code (email or SMS, whichever was sent last). An email code makes the enrollment `verified`; an SMS code proves the phone. */
export async function confirmVerification(deps: Pick<Deps, 'db' | 'keys' | 'vault'>, id: string, code: string, ctx: FlowContext): Promise<Enrollment> {
  const e = await loadEnrollment(deps.db, id, deps.vault);
  // Before the email is verified, either code; after it, only an SMS code (a second factor) is left to prove.
  const emailStep = e.state === 'profile_completed';
  if (emailStep) assertCanAdvance(e, 'verify_email', ctx.now);
  else {
    // Without a live SMS code this is the verification step replayed: refused by the table, as it always was.
    if ((await latestLiveCode(deps.db, { enrollmentId: e.id }))?.channel !== 'sms') assertCanAdvance(e, 'verify_email', ctx.now);
    assertOpenForFactor(e, ctx.now, 'confirm a code');
  }
  const phone = e.profile?.phone;
  const destinationHashes = { ...(emailStep ? { email: hmac(deps.keys.lookup, e.email_normalized!) } : {}), ...(phone ? { sms: hmac(deps.keys.lookup, phone) } : {}) };
  // Every refused code is audited (reason, attempts left, the lockout), in its own transaction: the refusal is thrown.
  const verified = await verifyCode(deps.db, { owner: { enrollmentId: e.id }, code, destinationHashes, key: deps.keys.codes, now: ctx.now }, (failure) =>
    deps.db.transaction((tx) => recordEvents(tx, codeFailureEvents(e.id, failure, ctx))),
  );
  return deps.db.transaction(async (tx) => {
    // Single use: of two parallel correct submissions, one consumes, the other is told the code is gone.
    if (!(await consumeCode(tx, verified.id, ctx.now))) throw identityErrors.identity_code_not_requested();
    if (verified.channel === 'sms') {
      // A phone proves the phone, not the email. The account is created under the email, so only an email code
      // moves the flow on: otherwise anyone with a phone could squat someone else's address, and completion's
      // "address taken" answer would tell them whose it is. SMS stands as a further factor (risk step-up).
      await recordEvent(tx, {
        action: 'enrollment.phone_verified', actor: ctx.actor, channel: ctx.channel, requestId: ctx.requestId,
        subject: { type: 'enrollment', id: e.id }, data: { verification_id: verified.id, channel: 'sms' },
      });
      return e;
    }
    return advance(tx, e, { event: 'verify_email', audit: { action: 'enrollment.email_verified', data: { verification_id: verified.id, channel: 'email' } }, last: true }, ctx);
  });
}
