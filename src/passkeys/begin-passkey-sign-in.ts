import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Deps } from '../deps.js';
import { newId } from '../kernel/ids.js';
import { CHALLENGE_TTL_MS } from './ceremony.js';
import { insertChallenge } from './repository.js';

/**
 * Options for a usernameless sign-in (or, with a session, a step-up): no
 * allowCredentials, so the authenticator offers its discoverable passkeys for
 * our RP ID and we learn who it is only from a verified assertion.
 */
export async function beginPasskeySignIn(
  deps: Pick<Deps, 'db' | 'config'>,
  input: { now: Date; stepUpSessionId?: string },
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const options = await generateAuthenticationOptions({ rpID: deps.config.webauthn.rpId, userVerification: 'required', timeout: CHALLENGE_TTL_MS });
  await insertChallenge(deps.db, {
    id: newId('wch', input.now.getTime()),
    purpose: input.stepUpSessionId ? 'step_up' : 'authentication',
    challenge: options.challenge,
    sessionId: input.stepUpSessionId,
    expiresAt: new Date(input.now.getTime() + CHALLENGE_TTL_MS),
    now: input.now,
  });
  return options;
}
