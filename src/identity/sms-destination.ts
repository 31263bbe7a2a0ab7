import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Number types an SMS code may go to. SMS pumping (toll fraud) sends codes to
 * premium-rate and other revenue-sharing ranges; fixed lines cannot read a
 * text at all. Where a plan does not tell mobile from fixed (NANP: US, CA),
 * libphonenumber says FIXED_LINE_OR_MOBILE and we allow it.
 */
const SMS_CAPABLE = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

export type SmsDestinationRefusal = 'phone_not_mobile' | 'country_not_allowed';

/** Why a number may not receive an SMS code (null: it may). `allowedCountries` empty means any country. */
export function smsDestinationRefusal(e164: string, allowedCountries: readonly string[]): SmsDestinationRefusal | null {
  const parsed = parsePhoneNumberFromString(e164);
  if (allowedCountries.length > 0 && !(parsed?.country && allowedCountries.includes(parsed.country))) return 'country_not_allowed';
  const type = parsed?.isValid() ? parsed.getType() : undefined;
  return type && SMS_CAPABLE.has(type) ? null : 'phone_not_mobile';
}
