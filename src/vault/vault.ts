import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/index.js';
import { openWithAad, sealWithAad } from './aead.js';
import type { KeyManager } from './key-manager.js';
import { findSubjectKey, insertSubjectKey, type SubjectKeyRow } from './repository.js';

/** A subject's stored key as a row read alongside its data (one query, not two). */
export type StoredKey = Pick<SubjectKeyRow, 'key_version' | 'wrapped_key'>;

/**
 * The PII vault: personal fields are sealed with the subject's own data key
 * (AES-256-GCM), which the KeyManager wraps. Deleting the subject's key row
 * (crypto-shredding) makes every copy of their sealed data unreadable at
 * once, wherever it was copied to. Unwrapped keys are not cached on purpose:
 * a shredded key must stop working in every process immediately, and a local
 * unwrap costs microseconds.
 */
export interface Vault {
  readonly keyManager: KeyManager;
  /** Seal a JSON value under the subject's key, creating the key on first use (once per subject). */
  seal(db: Queryable, subjectId: string, value: unknown): Promise<string>;
  /** The value, or null when the subject's key is gone (erased). */
  open<T>(db: Queryable, subjectId: string, sealed: string): Promise<T | null>;
  /** As open, with the key row already read (joined into the caller's query). */
  openWith<T>(key: StoredKey | null, subjectId: string, sealed: string): Promise<T | null>;
}

export function createVault(keyManager: KeyManager, clock: { now(): Date }): Vault {
  const dataKey = (k: StoredKey, subjectId: string) => keyManager.unwrap(k.key_version, k.wrapped_key, subjectId);
  const vault: Vault = {
    keyManager,
    async seal(db, subjectId, value) {
      // One round trip: offer a fresh wrapped key, get back whichever is stored (ours, or the one made before).
      // A wrap that loses is wasted work, but a subject is sealed for again only on a re-submitted profile.
      const { version, wrapped } = await keyManager.wrap(randomBytes(32), subjectId);
      const k = await insertSubjectKey(db, { subject_id: subjectId, key_version: version, wrapped_key: wrapped, now: clock.now() });
      return sealWithAad(await dataKey(k, subjectId), Buffer.from(JSON.stringify(value), 'utf8'), `pii:${subjectId}`);
    },
    async open<T>(db: Queryable, subjectId: string, sealed: string) {
      return vault.openWith<T>(await findSubjectKey(db, subjectId), subjectId, sealed);
    },
    async openWith<T>(key: StoredKey | null, subjectId: string, sealed: string) {
      if (!key) return null;
      return JSON.parse(openWithAad(await dataKey(key, subjectId), sealed, `pii:${subjectId}`).toString('utf8')) as T;
    },
  };
  return vault;
}
