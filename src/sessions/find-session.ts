import type { Queryable } from '../db/index.js';
import { hmac } from '../kernel/crypto.js';
import { findLiveSession, type SessionRow } from './repository.js';

/** The live session a cookie names, or null (absent, unknown, expired or revoked look the same). */
export async function findSession(db: Queryable, token: string | undefined, key: Buffer, now: Date): Promise<SessionRow | null> {
  if (!token || token.length > 128) return null;
  return findLiveSession(db, hmac(key, token), now);
}
