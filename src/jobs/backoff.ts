/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential
 * Backoff and Jitter"): a uniform delay in [0, min(cap, base·2^(attempt-1))].
 * Full jitter spreads a burst of failures (an SMTP outage) instead of
 * retrying them in lock-step.
 */
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 10 * 60_000;

/** The upper bound of the delay after the given (1-based) failed attempt. */
export function backoffCeilingMs(attempt: number, baseMs = BACKOFF_BASE_MS, capMs = BACKOFF_CAP_MS): number {
  const exp = Math.min(Math.max(attempt, 1) - 1, 30); // 2^30 s is far past any cap; avoids Infinity
  return Math.min(capMs, baseMs * 2 ** exp);
}

/** The delay before retrying after the given (1-based) failed attempt. */
export function backoffMs(attempt: number, opts: { baseMs?: number; capMs?: number; random?: () => number } = {}): number {
  const ceiling = backoffCeilingMs(attempt, opts.baseMs, opts.capMs);
  return Math.floor((opts.random ?? Math.random)() * ceiling);
}
