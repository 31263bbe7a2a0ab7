import { recordEvent } from '../audit/index.js';
import type { Tx } from '../db/index.js';
import { hmac, randomToken } from '../kernel/crypto.js';
import { newId } from '../kernel/ids.js';
import { SESSION_TTL_DAYS } from './cookie.js';
import { insertSession, revokeByTokenHash } from './repository.js';

export type SessionMethod = 'dashboard_link' | 'passkey' | 'password' | 'totp' | 'email_code';

export interface OpenedSession {
  /** 256 bits from the CSPRNG; only its keyed hash is stored. Goes into the cookie, nowhere else. */
  token: string;
  sessionId: string;
  customerId: string;
}

/**
 * Open a session for a customer who just proved who they are. Rotation: a
 * session the browser already presented (`replacing`) is revoked in the same
 * transaction, so a token planted before sign-in (fixation) or seen before a
 * step-up is worth nothing afterwards.
 */
export async function openSession(
  tx: Tx,
  input: { customerId: string; method: SessionMethod; key: Buffer; now: Date; replacing?: string; steppedUp?: boolean; requestId?: string; tenantId?: string },
): Promise<OpenedSession> {
  const replaced = input.replacing ? await revokeByTokenHash(tx, hmac(input.key, input.replacing), input.now) : null;
  const token = randomToken(32);
  const sessionId = newId('ses', input.now.getTime());
  await insertSession(tx, {
    id: sessionId,
    tokenHash: hmac(input.key, token),
    customerId: input.customerId,
    method: input.method,
    steppedUpAt: input.steppedUp ? input.now : null,
    // Only a session of the same customer is "replaced"; another's is just revoked (a shared browser).
    replaces: replaced?.customer_id === input.customerId ? replaced.id : null,
    expiresAt: new Date(input.now.getTime() + SESSION_TTL_DAYS * 86_400_000),
    now: input.now,
  });
  await recordEvent(tx, {
    action: input.steppedUp ? 'session.stepped_up' : 'session.created',
    actor: { type: 'customer', id: input.customerId },
    requestId: input.requestId,
    subject: { type: 'session', id: sessionId },
    tenantId: input.tenantId,
    data: { method: input.method, ...(replaced ? { replaced_session_id: replaced.id } : {}) },
  });
  return { token, sessionId, customerId: input.customerId };
}

/** What a step-up by a typed code carries: the code, the time, the session token the browser presented, the request. */
export interface StepUpInput {
  code: string;
  now: Date;
  presented?: string;
  requestId?: string;
}

/** The session rotated into a stepped-up one, once its customer proved a second factor by `method`. */
export function openSteppedUpSession(tx: Tx, key: Buffer, customerId: string, method: SessionMethod, input: Omit<StepUpInput, 'code'>): Promise<OpenedSession> {
  return openSession(tx, { customerId, method, key, now: input.now, replacing: input.presented, steppedUp: true, requestId: input.requestId });
}
