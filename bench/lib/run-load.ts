import { performance } from 'node:perf_hooks';
import type { HttpClient } from './http-client.js';
import { runEnrollment, STEPS, StepFailure, type Step } from './enrollment-flow.js';

export interface LoadResult {
  attempted: number;
  completed: number;
  failed: number;
  /** Stopped by the time limit or Ctrl-C: neither completed nor counted as failed. */
  aborted: number;
  wallMs: number;
  steps: Record<Step, number[]>;
  enrollment: number[];
  /** `step status code` → how many enrollments stopped there. */
  failures: Record<string, number>;
  mailboxPolls: number;
}

/** `concurrency` workers, each taking the next enrollment until `count` are done or `signal` aborts. */
export async function runLoad(
  client: HttpClient,
  o: { count: number; concurrency: number; emailOf: (i: number) => string; pollMs: number; idempotencyKeys: boolean; signal: AbortSignal },
): Promise<LoadResult> {
  const r: LoadResult = {
    attempted: 0, completed: 0, failed: 0, aborted: 0, wallMs: 0,
    steps: Object.fromEntries(STEPS.map((s) => [s, []])) as unknown as Record<Step, number[]>,
    enrollment: [], failures: {}, mailboxPolls: 0,
  };
  let next = 0;
  const worker = async () => {
    while (next < o.count && !o.signal.aborted) {
      const i = next++;
      r.attempted++;
      const email = o.emailOf(i);
      try {
        const run = await runEnrollment(client, {
          email, pollMs: o.pollMs, codeTimeoutMs: 10_000, signal: o.signal,
          idempotencyPrefix: o.idempotencyKeys ? email : undefined,
        });
        r.completed++;
        r.mailboxPolls += run.mailboxPolls;
        r.enrollment.push(run.totalMs);
        for (const s of STEPS) r.steps[s].push(run.steps[s]);
      } catch (err) {
        const reason = err instanceof StepFailure ? `${err.step} ${err.reason}` : `bench ${(err as Error).message}`;
        if (o.signal.aborted && (!(err instanceof StepFailure) || err.reason === 'aborted')) {
          r.aborted++;
          continue;
        }
        r.failed++;
        r.failures[reason] = (r.failures[reason] ?? 0) + 1;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(o.concurrency, o.count) }, worker));
  r.wallMs = performance.now() - t0;
  return r;
}
