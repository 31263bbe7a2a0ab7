import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/index.js';
import { hmac } from '../kernel/crypto.js';
import { httpErrors } from './errors.js';

const TTL_HOURS = 24;
// Anonymous callers share one scope, so their keys must be unguessable: a UUID or 16+ random characters.
const MIN_ANONYMOUS_KEY_LENGTH = 16;
// Not outcomes but "try again" answers: storing them would replay a transient refusal for 24 hours.
const NOT_STORED = new Set([409, 429]);
// A worker that died mid-request must not wedge the key forever.
const STALE_IN_PROGRESS_SECONDS = 60;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { scope: string; key: string };
  }
  interface FastifyContextConfig {
    /** false: the response carries a secret (a TOTP seed), so it is never stored; a retry runs again. */
    idempotencyStore?: boolean;
  }
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Idempotency-Key for every POST in the scope it is registered in:
 * same key + same body replays the stored response; another body → 422
 * idempotency_key_reused; a concurrent duplicate → 409. 5xx, 409 and 429
 * responses are not stored, so a retry after an outage or a conflict runs
 * again. Only a keyed hash of the request is kept, never the body: it may hold
 * a one-time code, personal data or a card, and an unkeyed hash of a 6-digit
 * code or a CVC is reversed in milliseconds. `exclude` drops fields from the
 * hash altogether (the gateway's CVC: PCI allows no form of it to be kept).
 */
export function registerIdempotency(app: FastifyInstance, opts: { db: Db; table: string; key: Buffer; exclude?: string[] }) {
  const { db, table } = opts;
  const exclude = new Set(opts.exclude ?? []);

  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'POST') return;
    const key = req.headers['idempotency-key'];
    if (key === undefined) return;
    const principal = req.headers.authorization ? hmac(opts.key, req.headers.authorization).slice(0, 24) : 'anon';
    const minLength = principal === 'anon' ? MIN_ANONYMOUS_KEY_LENGTH : 1;
    if (typeof key !== 'string' || key.length < minLength || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
      throw httpErrors.idempotency_key_invalid({ extra: { min_length: minLength, max_length: 255 } });
    }
    const scope = `${req.method} ${req.url.split('?')[0]} ${principal}`;
    const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body)
      ? Object.fromEntries(Object.entries(req.body).filter(([k]) => !exclude.has(k)))
      : req.body ?? null;
    const requestHash = hmac(opts.key, canonical(body));

    const claimed = await db.query(
      `INSERT INTO ${table} (scope, key, request_hash, state, expires_at)
       VALUES ($1, $2, $3, 'in_progress', now() + interval '${TTL_HOURS} hours')
       ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, created_at = now(),
         expires_at = EXCLUDED.expires_at, state = 'in_progress', response_status = NULL, response_body = NULL
       WHERE ${table}.expires_at < now()
          OR (${table}.state = 'in_progress' AND ${table}.created_at < now() - interval '${STALE_IN_PROGRESS_SECONDS} seconds'
              AND ${table}.request_hash = EXCLUDED.request_hash)
       RETURNING key`,
      [scope, key, requestHash],
    );
    if (claimed.rowCount === 1) {
      req.idempotency = { scope, key };
      return;
    }
    const { rows } = await db.query<{ request_hash: string; state: string; response_status: number; response_body: unknown }>(
      `SELECT request_hash, state, response_status, response_body FROM ${table} WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    const row = rows[0];
    if (!row || row.request_hash !== requestHash) throw httpErrors.idempotency_key_reused();
    if (row.state === 'in_progress') throw httpErrors.idempotency_request_in_progress();
    reply.header('idempotent-replayed', 'true');
    reply.status(row.response_status);
    reply.type(row.response_status >= 400 ? 'application/problem+json' : 'application/json');
    return reply.send(row.response_body);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const idem = req.idempotency;
    if (!idem) return payload;
    req.idempotency = undefined;
    if (reply.statusCode >= 500 || NOT_STORED.has(reply.statusCode) || req.routeOptions.config.idempotencyStore === false) {
      await db.query(`DELETE FROM ${table} WHERE scope = $1 AND key = $2 AND state = 'in_progress'`, [idem.scope, idem.key]);
      return payload;
    }
    let body: unknown = null;
    if (typeof payload === 'string' && payload.length > 0) {
      try {
        body = JSON.parse(payload);
      } catch {
        body = payload; // non-JSON responses replay as a JSON string
      }
    }
    await db.query(
      `UPDATE ${table} SET state = 'done', response_status = $3, response_body = $4 WHERE scope = $1 AND key = $2`,
      [idem.scope, idem.key, reply.statusCode, JSON.stringify(body)],
    );
    return payload;
  });
}
