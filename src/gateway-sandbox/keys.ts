import type { Db } from '../db/index.js';
import { deriveKey, hmac } from '../kernel/crypto.js';
import type { Clock } from '../kernel/clock.js';

/** What every sandbox use case needs; built once by createSandboxGateway. */
export interface GatewayContext {
  db: Db;
  clock: Clock;
  keys: GatewayKeys;
  /** How long a 3-D Secure challenge stays answerable. */
  challengeTtlMs: number;
}

export interface GatewayKeys {
  /** AES-256-GCM key for PAN ciphertext. */
  pan: Buffer;
  /** HMAC key for fingerprints: a separate key, so a fingerprint leak says nothing about the sealing key. */
  fingerprint: Buffer;
}

export function deriveGatewayKeys(secret: string): GatewayKeys {
  if (secret.length < 16) throw new Error('the gateway secret must be at least 16 characters');
  return { pan: deriveKey(secret, 'gateway-pan'), fingerprint: deriveKey(secret, 'gateway-fingerprint') };
}

/**
 * Keyed, so the 10^6-ish candidates behind a known BIN + last4 cannot be
 * brute-forced from a fingerprint without the gateway secret. 128 bits, hex.
 */
export function cardFingerprint(keys: GatewayKeys, pan: string): string {
  return hmac(keys.fingerprint, pan).slice(0, 32);
}
