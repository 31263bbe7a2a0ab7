import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { normalizeEmail } from '../../../src/customers/normalize-email';

/**
 * Inline checks with the server's own rules: the email check IS src/customers/normalize-email.ts (bundled),
 * and phone numbers go through libphonenumber-js as in src/customers/schemas.ts. Codes are the server's field
 * codes, so one message table serves both.
 */
export function emailError(v: string): string | null {
  if (!v.trim()) return 'required';
  return normalizeEmail(v).ok ? null : 'invalid_format';
}

export function phoneError(v: string, country: string): string | null {
  if (!v.trim()) return null; // optional
  const p = parsePhoneNumberFromString(v, country as CountryCode);
  return p && p.isValid() ? null : 'invalid_phone';
}

export function nameError(v: string): string | null {
  if (!v.trim()) return 'required';
  if (v.length > 100) return 'too_long';
  return /[\u0000-\u001f\u007f<>]/.test(v) ? 'invalid_characters' : null;
}

export const codeError = (v: string): string | null => (/^\d{6}$/.test(v) ? null : 'invalid_format');
