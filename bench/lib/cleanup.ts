/**
 * Resources the bench must release whatever happens: the service process, the
 * temporary data directory, the scratch database. Released newest first.
 * `sync` is the last resort from process 'exit' (no awaiting there).
 */
export interface Resource {
  name: string;
  release(): Promise<void>;
  releaseSync?(): void;
  /** Said on a hard exit when releaseSync cannot do the job (e.g. a database left behind). */
  leftover?: string;
}

export function createCleanup(log: (msg: string) => void) {
  const stack: Resource[] = [];
  return {
    add(r: Resource) {
      stack.push(r);
    },
    async releaseAll() {
      while (stack.length > 0) {
        const r = stack.pop()!;
        try {
          await r.release();
        } catch (err) {
          log(`cleanup of ${r.name} failed: ${(err as Error).message}`);
          if (r.leftover) log(`left behind: ${r.leftover}`);
        }
      }
    },
    releaseAllSync() {
      while (stack.length > 0) {
        const r = stack.pop()!;
        try {
          if (r.releaseSync) {
            r.releaseSync();
            continue;
          }
        } catch {
          // best effort on the way out: say what may be left below
        }
        if (r.leftover) log(`left behind: ${r.leftover}`);
      }
    },
  };
}

export type Cleanup = ReturnType<typeof createCleanup>;
