import { createRequire } from 'node:module';
import type { FastifyRateLimitStore } from '@fastify/rate-limit';

// The plugin's own in-memory store (a fixed window per key in an LRU); it is not in the package's typed surface.
const LocalStore = createRequire(import.meta.url)('@fastify/rate-limit/store/LocalStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  cache?: number,
) => {
  incr(key: string, cb: (err: Error | null, res?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void;
};

type Incr = FastifyRateLimitStore['incr'];

/**
 * @fastify/rate-limit's LocalStore, with each result copied. LocalStore hands
 * every caller the same mutable counter object, and the plugin reads it only
 * after an await: in a burst, every request reads the burst's final count, so
 * four at once against a budget of three were all refused, not just the fourth.
 */
export class MemoryRateLimitStore implements FastifyRateLimitStore {
  private readonly inner;
  constructor(options: { cache?: number; continueExceeding?: boolean; exponentialBackoff?: boolean }) {
    this.inner = new LocalStore(options.continueExceeding ?? false, options.exponentialBackoff ?? false, options.cache);
  }

  incr(...[key, cb, timeWindow, max]: Parameters<Incr>): void {
    this.inner.incr(key, (err, res) => cb(err, res ? { current: res.current, ttl: res.ttl } : undefined), timeWindow, max);
  }

  /** The plugin makes one store per limiter from the limiter's options (where `cache` bounds the LRU). */
  child(options: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
    return new MemoryRateLimitStore(options as { cache?: number });
  }
}
