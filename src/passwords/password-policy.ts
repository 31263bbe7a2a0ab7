import { dictionary } from '@zxcvbn-ts/language-common';

/** NIST SP 800-63B: a length floor, a generous ceiling, no composition rules, and a blocklist. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

let common: Set<string> | null = null;
/**
 * The bundled list: the ~49,000 most common passwords from zxcvbn-ts (drawn
 * from breach corpora), of which those long enough to pass the length rule
 * (about 18,000) can actually be refused by it. Compared case-insensitively.
 */
export function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(dictionary['passwords-common'].filter((p) => [...p].length >= PASSWORD_MIN).map((p) => p.toLowerCase()));
  return common;
}

/**
 * Unicode passwords are compared as typed on another keyboard would type them:
 * NFKC, as 800-63B advises. Length counts code points, so an emoji is one
 * character, and nothing is ever cut off: 129 characters is an error, not a
 * silently shorter password.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** The field codes this password breaks, empty when it is acceptable. */
export function passwordProblems(password: string): string[] {
  const length = [...normalizePassword(password)].length;
  if (length < PASSWORD_MIN) return ['too_short'];
  if (length > PASSWORD_MAX) return ['too_long'];
  if (commonPasswords().has(normalizePassword(password).toLowerCase())) return ['too_common'];
  return [];
}
