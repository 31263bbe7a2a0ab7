import { verifyRegistrationResponse, type RegistrationResponseJSON } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { lockEnrollment, type FlowContext } from '../enrollment/index.js';
import { hmac } from '../kernel/crypto.js';
import { newId } from '../kernel/ids.js';
import { loadEnrollmentForMfa } from '../mfa/index.js';
import { auditFailure, authenticatorState, challengeOf } from './ceremony.js';
import { passkeyErrors } from './errors.js';
import { insertCredential, spendChallenge } from './repository.js';

export interface RegisteredPasskey {
  id: string;
  credential_id: string;
  device_type: 'singleDevice' | 'multiDevice';
  backed_up: boolean;
  transports: string[];
  created_at: string;
}

/**
 * Verify the authenticator's attestation against a challenge this enrollment
 * was issued, and store the public key with its counter, transports and backup
 * flags. The challenge is spent before verifying, so a failed attempt cannot be
 * retried with the same one.
 */
export async function registerPasskey(deps: Pick<Deps, 'db' | 'keys' | 'config' | 'vault'>, enrollmentId: string, response: RegistrationResponseJSON, ctx: FlowContext): Promise<RegisteredPasskey> {
  const e = await loadEnrollmentForMfa(deps.db, enrollmentId, ctx.now, deps.vault);
  const audit = { actor: ctx.actor, channel: ctx.channel, requestId: ctx.requestId, subject: { type: 'enrollment', id: e.id }, data: { credential_id: response.id } };
  const challenge = challengeOf(response.response.clientDataJSON);
  if (!(await spendChallenge(deps.db, { challenge, purpose: 'registration', enrollmentId: e.id, now: ctx.now }))) {
    await auditFailure(deps.db, audit, 'challenge_invalid');
    throw passkeyErrors.passkey_challenge_invalid();
  }
  if (!authenticatorState({ attestationObject: response.response.attestationObject }).uv) {
    await auditFailure(deps.db, audit, 'user_not_verified');
    throw passkeyErrors.passkey_user_verification_required();
  }
  const { rpId, origins } = deps.config.webauthn;
  let info;
  try {
    const v = await verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: origins, expectedRPID: rpId, requireUserVerification: true });
    if (!v.verified) throw new Error('not verified');
    info = v.registrationInfo;
  } catch (err) {
    await auditFailure(deps.db, audit, 'attestation_invalid');
    throw passkeyErrors.passkey_verification_failed({ detail: err instanceof Error ? err.message : undefined });
  }
  const id = newId('pky', ctx.now.getTime());
  const transports = response.response.transports ?? info.credential.transports ?? [];
  await deps.db.transaction(async (tx) => {
    // Serialise with completion: a passkey must land on the enrollment before it turns into a customer, or not at all.
    const locked = await lockEnrollment(tx, e.id, deps.vault);
    if (!locked || locked.state === 'completed') throw passkeyErrors.passkey_verification_failed({ detail: 'The enrollment completed meanwhile' });
    const inserted = await insertCredential(tx, {
      id,
      credential_id: info.credential.id,
      public_key: isoBase64URL.fromBuffer(info.credential.publicKey),
      sign_count: info.credential.counter,
      transports,
      device_type: info.credentialDeviceType,
      backed_up: info.credentialBackedUp,
      aaguid: info.aaguid,
      user_handle: hmac(deps.keys.passkeys, e.id),
      enrollment_id: e.id,
      now: ctx.now,
    });
    if (!inserted) throw passkeyErrors.passkey_already_registered();
    await recordEvent(tx, {
      ...audit,
      action: 'passkey.registered',
      data: { passkey_id: id, credential_id: info.credential.id, device_type: info.credentialDeviceType, backed_up: info.credentialBackedUp, aaguid: info.aaguid },
    });
  });
  return { id, credential_id: info.credential.id, device_type: info.credentialDeviceType, backed_up: info.credentialBackedUp, transports, created_at: ctx.now.toISOString() };
}
