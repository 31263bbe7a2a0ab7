import type { Queryable } from '../db/index.js';
import { promotionErrors } from './errors.js';
import { findReferralCode } from './referral-repository.js';
import type { ReferralRules } from './referral-rules.js';

/**
 * A referral code named at plan selection: the referee's discount (from the
 * rules) as a quote discount, or the specific refusal. Your own code is
 * refused by address, so a second account under the same mailbox (tags, dots)
 * cannot refer itself; the risk engine's velocity and trial rules see the rest.
 */
export async function resolveReferral(db: Queryable, rules: ReferralRules, rawCode: string, referee: { emailNormalized: string | null }) {
  const code = rawCode.trim().toUpperCase();
  const ref = await findReferralCode(db, code);
  if (!ref) throw promotionErrors.pricing_referral_unknown({ fields: { referral_code: ['unknown'] } });
  if (referee.emailNormalized && sameMailbox(ref.email_normalized, referee.emailNormalized)) {
    throw promotionErrors.pricing_referral_not_applicable({ fields: { referral_code: ['own_code'] } });
  }
  return { kind: 'referral' as const, code, percentOff: rules.referee.percent_off, amountOff: null };
}

/** a.b+tag@x and ab@x are one mailbox at providers that ignore dots and tags; compared conservatively for all. */
function sameMailbox(a: string, b: string): boolean {
  const key = (e: string) => {
    const [local, domain] = e.split('@');
    return `${local!.split('+')[0]!.replaceAll('.', '')}@${domain}`;
  };
  return key(a) === key(b);
}
