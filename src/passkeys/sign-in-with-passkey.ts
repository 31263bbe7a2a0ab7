import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { Deps } from '../deps.js';
import { isAppError } from '../kernel/errors.js';
import { openSession, type OpenedSession, type SessionRow } from '../sessions/index.js';
import { auditFailure, authenticatorState, challengeOf } from './ceremony.js';
import { passkeyErrors } from './errors.js';
import { advanceSignCount, findCredentialOwner, spendChallenge } from './repository.js';

/**
 * Verify an assertion and open a session for the passkey's owner. With
 * `stepUp`, the assertion must come from a passkey of the session's own
 * customer, and the new session is marked stepped up. Either way the session
 * the browser presented is rotated out.
 */
export async function signInWithPasskey(
  deps: Pick<Deps, 'db' | 'keys' | 'config'>,
  response: AuthenticationResponseJSON,
  input: { now: Date; presented?: string; stepUp?: SessionRow; requestId?: string },
): Promise<OpenedSession> {
  const audit = { actor: { type: 'anonymous' as const }, requestId: input.requestId, subject: { type: 'passkey', id: response.id }, action: 'passkey.sign_in_failed' };
  const challenge = challengeOf(response.response.clientDataJSON);
  const purpose = input.stepUp ? 'step_up' : 'authentication';
  if (!(await spendChallenge(deps.db, { challenge, purpose, sessionId: input.stepUp?.id, now: input.now }))) {
    await auditFailure(deps.db, audit, 'challenge_invalid');
    throw passkeyErrors.passkey_challenge_invalid();
  }
  const cred = await findCredentialOwner(deps.db, response.id);
  // Unknown, not yet owned (enrollment unfinished) and someone else's look the same from outside.
  if (!cred || (input.stepUp && cred.customer_id !== input.stepUp.customer_id)) {
    await auditFailure(deps.db, audit, cred ? 'other_customer' : 'unknown_credential');
    throw passkeyErrors.passkey_sign_in_failed();
  }
  const state = authenticatorState({ authenticatorData: response.response.authenticatorData });
  if (!state.uv) {
    await auditFailure(deps.db, audit, 'user_not_verified');
    throw passkeyErrors.passkey_user_verification_required();
  }
  const { rpId, origins } = deps.config.webauthn;
  let newCounter: number;
  try {
    const v = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origins,
      expectedRPID: rpId,
      requireUserVerification: true,
      // Counter 0 here: the library's own regression check would answer before ours; ours runs after the signature.
      credential: { id: cred.credential_id, publicKey: isoBase64URL.toBuffer(cred.public_key), counter: 0, transports: cred.transports as never },
    });
    if (!v.verified) throw new Error('not verified');
    newCounter = v.authenticationInfo.newCounter;
  } catch {
    await auditFailure(deps.db, audit, 'assertion_invalid');
    throw passkeyErrors.passkey_sign_in_failed();
  }
  // Only a genuinely signed assertion can raise the clone alarm: checked after the signature, so a stranger who
  // knows a credential id cannot fake one.
  if ((newCounter > 0 || cred.sign_count > 0) && newCounter <= cred.sign_count) {
    // A counter that goes backwards means two devices hold one key: refuse, and leave a trace for the owner and ops.
    await auditFailure(deps.db, { ...audit, action: 'passkey.sign_count_regressed', data: { stored: cred.sign_count, presented: newCounter } }, 'sign_count_regressed');
    throw passkeyErrors.passkey_sign_count_invalid();
  }
  try {
    return await deps.db.transaction(async (tx) => {
      if (!(await advanceSignCount(tx, cred.id, newCounter, input.now))) throw passkeyErrors.passkey_sign_count_invalid();
      return openSession(tx, {
        customerId: cred.customer_id,
        method: 'passkey',
        key: deps.keys.sessions,
        now: input.now,
        replacing: input.presented,
        steppedUp: Boolean(input.stepUp),
        requestId: input.requestId,
      });
    });
  } catch (err) {
    // Lost the counter race: another assertion with the same or a higher counter got in first.
    if (isAppError(err, passkeyErrors.passkey_sign_count_invalid)) await auditFailure(deps.db, { ...audit, action: 'passkey.sign_count_regressed' }, 'sign_count_race');
    throw err;
  }
}
