/**
 * Card number rules: pure functions, no I/O. Brand ranges follow the public
 * IIN tables; the outcome table is Stripe's documented test cards, so the same
 * numbers behave the same way in the sandbox and in Stripe test mode.
 */
export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'diners' | 'jcb' | 'unionpay' | 'unknown';

/** Users type spaces and dashes; nothing else is forgiven. */
export function normalizePan(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export function luhnValid(pan: string): boolean {
  if (!/^\d+$/.test(pan)) return false;
  let sum = 0;
  for (let i = 0; i < pan.length; i++) {
    let d = pan.charCodeAt(pan.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const between = (pan: string, digits: number, lo: number, hi: number) => {
  const n = Number(pan.slice(0, digits));
  return n >= lo && n <= hi;
};

// Order matters: Discover's 622126–622925 sits inside UnionPay's 62.
const BRANDS: { brand: CardBrand; match: (pan: string) => boolean; lengths: number[] }[] = [
  { brand: 'amex', match: (p) => /^3[47]/.test(p), lengths: [15] },
  { brand: 'visa', match: (p) => p.startsWith('4'), lengths: [13, 16, 19] },
  { brand: 'mastercard', match: (p) => between(p, 2, 51, 55) || between(p, 4, 2221, 2720), lengths: [16] },
  {
    brand: 'discover',
    match: (p) => p.startsWith('6011') || p.startsWith('65') || between(p, 3, 644, 649) || between(p, 6, 622126, 622925),
    lengths: [16, 17, 18, 19],
  },
  { brand: 'diners', match: (p) => /^3(0[0-5]|6|8|9)/.test(p), lengths: [14, 15, 16, 17, 18, 19] },
  { brand: 'jcb', match: (p) => between(p, 4, 3528, 3589), lengths: [16, 17, 18, 19] },
  { brand: 'unionpay', match: (p) => p.startsWith('62'), lengths: [16, 17, 18, 19] },
];

export function detectBrand(pan: string): CardBrand {
  return BRANDS.find((b) => b.match(pan))?.brand ?? 'unknown';
}

/** Digits only, 12–19 long, Luhn-valid, and a length the brand issues. */
export function panValid(pan: string): boolean {
  if (!/^\d{12,19}$/.test(pan) || !luhnValid(pan)) return false;
  const rule = BRANDS.find((b) => b.match(pan));
  return !rule || rule.lengths.includes(pan.length);
}

export function cvcValid(cvc: string, brand: CardBrand): boolean {
  return brand === 'amex' ? /^\d{4}$/.test(cvc) : /^\d{3,4}$/.test(cvc);
}

/** A card is good through the last day of its expiry month (UTC). */
export function isExpired(expMonth: number, expYear: number, now: Date): boolean {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() + 1;
  return expYear < y || (expYear === y && expMonth < m);
}

export type CardOutcome = { ok: true } | { ok: false; declineCode: string };

/** Stripe's documented test numbers by scenario; exported so tests and the contract suite share one table. */
export const TEST_CARDS = {
  success: '4242424242424242',
  generic_decline: '4000000000000002',
  insufficient_funds: '4000000000009995',
  expired_card: '4000000000000069',
  incorrect_cvc: '4000000000000127',
  processing_error: '4000000000000119',
} as const;

const DECLINES = new Map<string, string>(
  Object.entries(TEST_CARDS).filter(([scenario]) => scenario !== 'success').map(([code, pan]) => [pan, code]),
);

/**
 * A card that validates (authorisations succeed) but whose later charges are
 * declined: Stripe's "attaches, but charges fail" number. It models a card that
 * goes bad during a trial, for conversion and dunning timelines.
 */
export const LATER_DECLINE_CARD = '4000000000000341';

/**
 * Stripe's 3-D Secure test numbers. 3155 asks for authentication on a
 * customer-present payment unless the card was authenticated before (then set
 * up for later off-session charges); 3178 asks every time and, once
 * authenticated, is declined for insufficient funds.
 */
export const THREE_DS_CARDS = {
  authentication_required: '4000002500003155',
  authentication_then_insufficient_funds: '4000008260003178',
} as const;

/** Whether the issuer wants the cardholder before it answers for this card. */
export function needsAuthentication(pan: string, authenticatedBefore: boolean): boolean {
  if (pan === THREE_DS_CARDS.authentication_then_insufficient_funds) return true;
  return pan === THREE_DS_CARDS.authentication_required && !authenticatedBefore;
}

/** What the issuer says at charge time. Every other valid number succeeds (4242… included). */
export function testCardOutcome(pan: string, capture = true): CardOutcome {
  if (pan === LATER_DECLINE_CARD && capture) return { ok: false, declineCode: 'generic_decline' };
  if (pan === THREE_DS_CARDS.authentication_then_insufficient_funds) return { ok: false, declineCode: 'insufficient_funds' };
  const declineCode = DECLINES.get(pan);
  return declineCode ? { ok: false, declineCode } : { ok: true };
}

/**
 * The issuing country of Stripe's documented international test cards (their
 * digits 5–7 are the ISO 3166 numeric code); every other test card is issued
 * in the US, as in Stripe test mode. Feeds `card.country`, which the risk
 * engine compares with the IP's and the phone's country.
 */
const TEST_CARD_COUNTRIES = new Map<string, string>([
  ['4000002760000016', 'DE'],
  ['4000002500000003', 'FR'],
  ['4000008260000000', 'GB'],
  ['4000003800000008', 'IT'],
  ['4000007240000007', 'ES'],
  ['4000001240000000', 'CA'],
  ['4000000760000002', 'BR'],
  ['4000003920000003', 'JP'],
  ['4000000360000006', 'AU'],
]);

export function cardCountry(pan: string): string {
  return TEST_CARD_COUNTRIES.get(pan) ?? 'US';
}
