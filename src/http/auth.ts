import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { sha256 } from '../kernel/crypto.js';
import { httpErrors } from './errors.js';

/** The bearer token of a request, if any. */
export function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1];
}

/** Constant-time comparison of secrets of any length (hash first, so lengths never leak). */
export function secretEquals(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  return timingSafeEqual(Buffer.from(sha256(given), 'hex'), Buffer.from(sha256(expected), 'hex'));
}

/** The partner whose key the request's Bearer token is, or null. Every key is compared, in constant time. */
export function partnerIdOf(req: FastifyRequest, keys: readonly { partnerId: string; key: string }[]): string | null {
  const token = bearer(req);
  let found: string | null = null;
  for (const p of keys) if (secretEquals(token, p.key) && found === null) found = p.partnerId;
  return found;
}

/** Whether the request carries the admin key (never true when none is configured). */
export function isAdmin(req: FastifyRequest, adminApiKey: string | undefined): boolean {
  return secretEquals(bearer(req), adminApiKey);
}

/** 401 auth_required unless the request carries the admin key. */
export function requireAdmin(req: FastifyRequest, adminApiKey: string | undefined): void {
  if (!isAdmin(req, adminApiKey)) throw httpErrors.auth_required();
}
