import type { Queryable } from '../db/index.js';
import { leaseKey, markJobsDone } from './repository.js';

/**
 * Marks finished jobs done, the jobs that finish together sharing one UPDATE (a group commit): the first
 * job to finish is marked at once, and those finishing while its UPDATE is on its way wait for the next one.
 * Each round trip costs both processes a wake-up, so under load this saves most of one per job; waiting for
 * the whole batch instead would hold a fast job's mark behind the slowest handler, up to the lease, when the
 * job is reclaimed and runs again. Resolves with whether this job's own lease still held.
 */
export function createDoneMarker(db: Queryable): (id: string, attempt: number) => Promise<boolean> {
  type Waiting = { id: string; attempt: number; resolve(held: boolean): void; reject(err: unknown): void };
  let waiting: Waiting[] = [];
  let busy = false;

  async function flush(): Promise<void> {
    try {
      while (waiting.length > 0) {
        const batch = waiting;
        waiting = [];
        try {
          const marked = await markJobsDone(db, batch);
          for (const w of batch) w.resolve(marked.has(leaseKey(w.id, w.attempt)));
        } catch (err) {
          // Each job handles the failure as it handled its own UPDATE's: its lease expires and it is reclaimed.
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      busy = false;
    }
  }

  return (id, attempt) =>
    new Promise<boolean>((resolve, reject) => {
      waiting.push({ id, attempt, resolve, reject });
      if (busy) return;
      busy = true;
      // A microtask later: jobs finishing in this same tick join the first UPDATE.
      queueMicrotask(() => void flush());
    });
}
