import { createRequire } from 'node:module';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';

// The plugin's own Redis store (an atomic Lua INCR + PEXPIRE per key); it is not in the package's typed surface.
const RedisStore = createRequire(import.meta.url)('@fastify/rate-limit/store/RedisStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  key: string,
) => FastifyRateLimitStore;

/**
 * A store class over the plugin's RedisStore whose keys are `<prefix><our key>`
 * (`enroll:rl:ip:203.0.113.7`, `enroll:rl:enr:enr_…`). The stock child store
 * prefixes a route's method and URL, which a limiter made by createRateLimit
 * does not have, so its keys read `…undefinedundefined-ip:…`. Our keys already
 * name their budget.
 */
export function redisRateLimitStore(redis: Redis, prefix: string): FastifyRateLimitStoreCtor {
  return class {
    private readonly inner = new RedisStore(false, false, redis, prefix);
    incr(...args: Parameters<FastifyRateLimitStore['incr']>) {
      this.inner.incr(...args);
    }
    child() {
      return this;
    }
  } as unknown as FastifyRateLimitStoreCtor;
}
