import type { Tx } from '../db/index.js';
import { newId } from '../kernel/ids.js';
import { jobErrors } from './errors.js';
import { insertJob } from './repository.js';

const JOB_TYPE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
// GUIDE §4: job payloads never carry a PAN, CVC, OTP, token, password or secret.
// A handler looks such things up (or creates them) when it runs.
const FORBIDDEN_KEYS = new Set(['pan', 'card_number', 'cvc', 'cvv', 'otp', 'code', 'password', 'secret', 'token', 'api_key']);

/** Enqueue a job in the caller's transaction: it exists if and only if the transaction commits. */
export async function enqueueJob(
  tx: Tx,
  type: string,
  payload: Record<string, unknown>,
  opts: { runAt?: Date; maxAttempts?: number } = {},
): Promise<string> {
  if (!JOB_TYPE.test(type)) throw jobErrors.job_type_invalid({ detail: `job type ${JSON.stringify(type)} is not kebab-case` });
  const forbidden = findForbiddenKey(payload);
  if (forbidden) throw jobErrors.job_payload_forbidden({ detail: `job ${type} payload has a forbidden key: ${forbidden}` });
  const maxAttempts = opts.maxAttempts ?? 8;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError('maxAttempts must be a positive integer');
  const id = newId('job');
  await insertJob(tx, { id, type, payload, runAt: opts.runAt, maxAttempts });
  return id;
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
