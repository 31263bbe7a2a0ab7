import { getCustomer, normalizeEmail } from '../customers/index.js';
import type { Queryable } from '../db/index.js';
import type { Vault } from '../vault/index.js';
import { promotionErrors } from './errors.js';
import { findReferralCode } from './referral-repository.js';
import type { ReferralRules } from './referral-rules.js';

/**
 * A referral code named at plan selection: the referee's discount (from the
 * rules) as a quote discount, or the specific refusal. Your own code is
 * refused by address, so a second account under the same mailbox (tags, dots)
 * cannot refer itself; the risk engine's velocity and trial rules see the rest.
 */
export async function resolveReferral(db: Queryable, rules: ReferralRules, rawCode: string, referee: { emailNormalized: string | null }, vault: Vault) {
  const code = rawCode.trim().toUpperCase();
  const ref = await findReferralCode(db, code);
  if (!ref) throw promotionErrors.pricing_referral_unknown({ fields: { referral_code: ['unknown'] } });
  // The referrer's address lives only in the vault; an erased referrer has none, and cannot match.
  const referrer = referee.emailNormalized ? await getCustomer(db, ref.customer_id, vault) : null;
  if (referrer && referee.emailNormalized && sameMailbox(normalizedOf(referrer.email), referee.emailNormalized)) {
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

function normalizedOf(email: string): string {
  const n = normalizeEmail(email);
  return n.ok ? n.normalized : email.toLowerCase();
}
