import { generateRegistrationOptions } from '@simplewebauthn/server';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { Deps } from '../deps.js';
import type { FlowContext } from '../enrollment/index.js';
import { hmac } from '../kernel/crypto.js';
import { newId } from '../kernel/ids.js';
import { loadEnrollmentForMfa } from '../mfa/index.js';
import { CHALLENGE_TTL_MS } from './ceremony.js';
import { insertChallenge, listCredentialIds } from './repository.js';

/**
 * Registration options for a passkey on this enrollment. User verification is
 * required (the biometric or PIN stays on the device; we only see the flag) and
 * a discoverable (resident) key is preferred, so sign-in needs no user name.
 */
export async function beginPasskeyRegistration(deps: Pick<Deps, 'db' | 'keys' | 'config' | 'vault'>, enrollmentId: string, ctx: FlowContext): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const e = await loadEnrollmentForMfa(deps.db, enrollmentId, ctx.now, deps.vault);
  const existing = await listCredentialIds(deps.db, e.id);
  const { rpId, rpName } = deps.config.webauthn;
  const options = await generateRegistrationOptions({
    rpName,
    rpID: rpId,
    userName: e.profile.email,
    userDisplayName: `${e.profile.given_name} ${e.profile.family_name}`.trim(),
    // Stable per enrollment, derived with a key: no PII on the authenticator beyond what the user typed, and no lookup table.
    userID: Buffer.from(hmac(deps.keys.passkeys, e.id), 'hex'),
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: c.transports as never })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    timeout: CHALLENGE_TTL_MS,
  });
  await insertChallenge(deps.db, {
    id: newId('wch', ctx.now.getTime()),
    purpose: 'registration',
    challenge: options.challenge,
    enrollmentId: e.id,
    expiresAt: new Date(ctx.now.getTime() + CHALLENGE_TTL_MS),
    now: ctx.now,
  });
  return options;
}
