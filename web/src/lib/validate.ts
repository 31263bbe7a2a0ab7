import type { CountryCode, parsePhoneNumberFromString as Parse } from 'libphonenumber-js/min';
import { normalizeEmail } from '../../../src/customers/normalize-email';

// The phone metadata is the biggest piece of the bundle and only the profile step needs it: loaded on demand.
let parsePhone: typeof Parse | null = null;
export function loadPhoneRules(): Promise<void> {
  return import('libphonenumber-js/min').then((m) => {
    parsePhone = m.parsePhoneNumberFromString;
  });
}

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
  if (!v.trim() || !parsePhone) return null; // optional; the server checks it anyway if the rules are not loaded yet
  const p = parsePhone(v, country as CountryCode);
  return p && p.isValid() ? null : 'invalid_phone';
}

export function nameError(v: string): string | null {
  if (!v.trim()) return 'required';
  if (v.length > 100) return 'too_long';
  return /[\u0000-\u001f\u007f<>]/.test(v) ? 'invalid_characters' : null;
}

export const codeError = (v: string): string | null => (/^\d{6}$/.test(v) ? null : 'invalid_format');
