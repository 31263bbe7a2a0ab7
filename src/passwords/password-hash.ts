import { Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * OWASP Password Storage Cheat Sheet, Argon2id: m = 19 MiB, t = 2, p = 1 (its
 * first recommended configuration; about 12 ms per hash on these machines).
 * Changing these makes every older hash be upgraded at its owner's next sign-in.
 */
export const ARGON2_PARAMS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(normalized: string): Promise<string> {
  return hash(normalized, ARGON2_PARAMS);
}

export async function verifyPassword(phc: string, normalized: string): Promise<boolean> {
  try {
    return await verify(phc, normalized);
  } catch {
    return false; // a malformed stored hash verifies nothing
  }
}

/** True when the PHC string was made with other parameters than today's (or another algorithm). */
export function needsRehash(phc: string): boolean {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
  if (!m) return true;
  return Number(m[1]) !== ARGON2_PARAMS.memoryCost || Number(m[2]) !== ARGON2_PARAMS.timeCost || Number(m[3]) !== ARGON2_PARAMS.parallelism;
}

// Verified against when no account matches, so an unknown address costs the same time as a wrong password.
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword('decoy password that matches no account');
  return decoy;
}
