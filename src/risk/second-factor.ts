import type { Queryable } from '../db/index.js';
import { hmac } from '../kernel/crypto.js';
import { secondFactorProofs } from './repository.js';

/** The factors a challenged enrollment may prove, in the order a client should offer them. */
export type SecondFactor = 'passkey' | 'totp' | 'sms';

/**
 * Whether the enrollment holds a second factor: a registered passkey (its
 * ceremony required user verification), an active authenticator app, or an SMS code confirmed for the phone the profile has NOW (a code proven
 * for a number since replaced proves nothing about this one).
 */
export async function hasSecondFactor(db: Queryable, enrollmentId: string, phone: { e164: string | null; lookupKey: Buffer }): Promise<boolean> {
  const proofs = await secondFactorProofs(db, enrollmentId, phone.e164 ? hmac(phone.lookupKey, phone.e164) : null);
  return proofs.passkey || proofs.totp || proofs.sms;
}

/** What the client may offer now, strongest first: a passkey, an authenticator app, and an SMS code when the profile has a phone. */
export function acceptableFactors(phone: string | null | undefined): SecondFactor[] {
  return phone ? ['passkey', 'totp', 'sms'] : ['passkey', 'totp'];
}
