import type { Queryable } from '../db/index.js';
import { hmac } from '../kernel/crypto.js';
import { secondFactorProofs } from './repository.js';

/** The factors a challenged enrollment may prove, in the order a client should offer them. */
export type SecondFactor = 'totp' | 'sms';

/**
 * Whether the enrollment holds a second factor: an active authenticator app,
 * or an SMS code confirmed for the phone the profile has NOW (a code proven
 * for a number since replaced proves nothing about this one).
 */
export async function hasSecondFactor(db: Queryable, enrollmentId: string, phone: { e164: string | null; lookupKey: Buffer }): Promise<boolean> {
  const proofs = await secondFactorProofs(db, enrollmentId, phone.e164 ? hmac(phone.lookupKey, phone.e164) : null);
  // passkeys: added when the passkey module lands
  return proofs.totp || proofs.sms;
}

/** What the client may offer now: an authenticator app always, an SMS code when the profile has a phone. */
export function acceptableFactors(phone: string | null | undefined): SecondFactor[] {
  return phone ? ['totp', 'sms'] : ['totp'];
}
