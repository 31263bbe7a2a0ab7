import type { Queryable } from '../db/index.js';
import { heldFactors } from './repository.js';

export type StepUpFactor = 'passkey' | 'totp' | 'email';

/**
 * The factors this customer may step up with now, strongest first.
 *
 * WHY email only when nothing stronger is held: the emailed code proves the inbox, which is exactly what the
 * dashboard sign-in link proved. For a customer with no other factor it is the floor (without it a customer in
 * dunning could never replace the card), and the five-minute window still bounds what a stolen session cookie
 * can do. But for a customer who holds a passkey or an authenticator app, offering email too would let whoever
 * controls the inbox (the usual way a session is stolen: the sign-in link is emailed) pass the step-up without
 * the stronger factor, making that factor decorative. Losing it is account recovery, not a step-up matter.
 */
export async function stepUpFactorsOf(db: Queryable, customerId: string): Promise<StepUpFactor[]> {
  const held = await heldFactors(db, customerId);
  const strong: StepUpFactor[] = [...(held.passkey ? ['passkey' as const] : []), ...(held.totp ? ['totp' as const] : [])];
  return strong.length > 0 ? strong : ['email'];
}
