import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * The Redis client behind the shared rate-limit store. Connected before the
 * service starts, so a wrong REDIS_URL stops the boot instead of silently
 * leaving every process with its own counters. Afterwards commands fail fast
 * rather than queue while Redis is away (the limiter then fails open, logged).
 */
export async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 500 });
  // The URL may carry a password: log the error's code and message only.
  redis.on('error', (err: NodeJS.ErrnoException) => logger.error({ component: 'redis', code: err.code, message: err.message }, 'redis error'));
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new Error(`REDIS_URL is set but Redis does not answer: ${(err as Error).message}`);
  }
  return redis;
}
