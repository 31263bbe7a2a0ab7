import { generate, generateSecret, generateURI, verify } from 'otplib';

/**
 * The one TOTP code path: setup, confirmation and the RFC 6238 vector tests
 * all go through these functions, so the vectors prove what production runs.
 * Time is always passed in (from deps.clock), never read here.
 */
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';
export interface TotpParams {
  algorithm: TotpAlgorithm;
  digits: 6 | 8;
  period: number;
}

/** What authenticator apps support universally: SHA1, 6 digits, 30 s (many apps ignore anything else). */
export const TOTP_DEFAULTS: TotpParams = { algorithm: 'sha1', digits: 6, period: 30 };
/** ±1 step: tolerates clock drift and a code typed as it rolls over, and no more. */
export const TOTP_WINDOW_STEPS = 1;
export const TOTP_SECRET_BYTES = 20; // 160 bits, RFC 4226 §4's recommended length

/** A base32 secret of TOTP_SECRET_BYTES from the CSPRNG (crypto.getRandomValues). */
export function newTotpSecret(): string {
  return generateSecret({ length: TOTP_SECRET_BYTES });
}

/** The otpauth:// URI for a base32 secret, parameters spelled out rather than left to app defaults. */
export function totpUri(secret: string, label: string, issuer = 'Enroll', p: TotpParams = TOTP_DEFAULTS): string {
  const uri = new URL(generateURI({ issuer, label, secret, algorithm: p.algorithm, digits: p.digits, period: p.period }));
  uri.searchParams.set('issuer', issuer);
  uri.searchParams.set('algorithm', p.algorithm.toUpperCase());
  uri.searchParams.set('digits', String(p.digits));
  uri.searchParams.set('period', String(p.period));
  return uri.toString();
}

const epochOf = (at: Date) => Math.floor(at.getTime() / 1000);

/** The code for `secret` (base32 string, or raw bytes for the RFC seeds) at time `at`. */
export function totpCode(secret: string | Uint8Array, at: Date, p: Partial<TotpParams> = {}): Promise<string> {
  const { algorithm, digits, period } = { ...TOTP_DEFAULTS, ...p };
  return generate({ secret, epoch: epochOf(at), algorithm, digits, period });
}

/** The time step (counter) that `at` falls in. */
export function totpStep(at: Date, period = TOTP_DEFAULTS.period): number {
  return Math.floor(epochOf(at) / period);
}

/**
 * Check a code within ±TOTP_WINDOW_STEPS of `at`; on success returns the time
 * step it matched, which the caller stores to refuse a replay. Comparison is
 * constant-time inside otplib.
 */
export async function verifyTotp(
  secret: string | Uint8Array,
  code: string,
  at: Date,
  p: Partial<TotpParams> = {},
): Promise<{ valid: true; step: number } | { valid: false }> {
  const { algorithm, digits, period } = { ...TOTP_DEFAULTS, ...p };
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return { valid: false };
  const r = await verify({ secret, token: code, epoch: epochOf(at), algorithm, digits, period, epochTolerance: TOTP_WINDOW_STEPS * period });
  // otplib's result type is shared with HOTP; a TOTP match always carries its timeStep.
  if (!r.valid || !('timeStep' in r)) return { valid: false };
  const step = r.timeStep;
  // Belt and braces: never accept outside the window, whatever the library's tolerance semantics.
  if (Math.abs(step - totpStep(at, period)) > TOTP_WINDOW_STEPS) return { valid: false };
  return { valid: true, step };
}
