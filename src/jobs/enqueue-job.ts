import type { Tx } from '../db/index.js';
import { newId } from '../kernel/ids.js';
import { jobErrors } from './errors.js';
import { insertJob } from './repository.js';

const JOB_TYPE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
// GUIDE §4: job payloads never carry a PAN, CVC, OTP, token, password or secret.
// A handler looks such things up (or creates them) when it runs.
const FORBIDDEN_KEYS = new Set(['pan', 'card_number', 'cvc', 'cvv', 'otp', 'code', 'password', 'secret', 'token', 'api_key']);

export interface NewJob {
  type: string;
  payload: Record<string, unknown>;
  runAt?: Date;
  maxAttempts?: number;
}

/** Check a job and give it an id: the rules every enqueue path shares. */
export function prepareJob(job: NewJob): { id: string; type: string; payload: Record<string, unknown>; runAt?: Date; maxAttempts: number } {
  if (!JOB_TYPE.test(job.type)) throw jobErrors.job_type_invalid({ detail: `job type ${JSON.stringify(job.type)} is not kebab-case` });
  const forbidden = findForbiddenKey(job.payload);
  if (forbidden) throw jobErrors.job_payload_forbidden({ detail: `job ${job.type} payload has a forbidden key: ${forbidden}` });
  const maxAttempts = job.maxAttempts ?? 8;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError('maxAttempts must be a positive integer');
  return { id: newId('job'), type: job.type, payload: job.payload, runAt: job.runAt, maxAttempts };
}

/** Enqueue a job in the caller's transaction: it exists if and only if the transaction commits. */
export async function enqueueJob(
  tx: Tx,
  type: string,
  payload: Record<string, unknown>,
  opts: { runAt?: Date; maxAttempts?: number } = {},
): Promise<string> {
  const job = prepareJob({ type, payload, ...opts });
  await insertJob(tx, job);
  return job.id;
}

/**
 * Outbox rows for a statement of the caller's (numbered from `$${first}`,
 * casts explicit for `SELECT … FROM (VALUES …)`), so a state change and its
 * jobs can be written by one statement: atomic without a round trip more.
 */
export function jobRows(jobs: NewJob[], first = 1): { columns: string; values: string; params: unknown[] } {
  const params: unknown[] = [];
  const rows = jobs.map((j, i) => {
    const job = prepareJob(j);
    params.push(job.id, job.type, JSON.stringify(job.payload), job.maxAttempts, job.runAt?.toISOString() ?? null);
    const n = first + i * 5;
    return `($${n}::text, $${n + 1}::text, $${n + 2}::jsonb, $${n + 3}::int, coalesce($${n + 4}::timestamptz, now()))`;
  });
  return { columns: '(id, type, payload, max_attempts, run_at)', values: rows.join(', '), params };
}

function findForbiddenKey(value: unknown, depth = 0): string | undefined {
  if (depth > 8 || value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (!Array.isArray(value) && FORBIDDEN_KEYS.has(k.toLowerCase())) return k;
    const nested = findForbiddenKey(v, depth + 1);
    if (nested) return nested;
  }
  return undefined;
}
