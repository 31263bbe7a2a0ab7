import type { Db } from '../db/index.js';
import { randomBytes } from 'node:crypto';
import { ensureReferralCode, referralStats } from './referral-repository.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford: no I, L, O, U to misread when shared aloud

/** The signed-in customer's referral code (made on first ask) with what it has earned. */
export async function getReferralCode(db: Db, customerId: string, now: Date) {
  const bytes = randomBytes(8);
  const candidate = `REF-${[...bytes].map((b) => ALPHABET[b % 32]).join('')}`;
  const code = await ensureReferralCode(db, customerId, candidate, now);
  const stats = await referralStats(db, customerId);
  return { code, referrals: stats.referrals, rewarded: stats.rewarded, credit: stats.credit };
}
