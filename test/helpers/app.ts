import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { createDeps, type Deps, type DepsOverrides } from '../../src/deps.js';
import { createLogger } from '../../src/kernel/logger.js';
import { createTestDb } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  /** Every log line the app wrote, for the secrets scan. */
  logs: string[];
  close(): Promise<void>;
}

/** The real app on a fresh database, in-process; the worker runs only when a test drains or starts it. */
export async function createTestApp(
  env: Record<string, string> = {},
  overrides: DepsOverrides = {},
  /** Extra test-only routes, added before the app is sealed. */
  extend?: (app: FastifyInstance) => void,
): Promise<TestApp> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug', ADMIN_API_KEY: 'admin-test-key', PARTNER_API_KEYS: 'acme:partner-test-key', ...env });
  const db = overrides.db ?? (await createTestDb());
  const deps = await createDeps(config, createLogger({ level: config.logLevel, destination: sink }), { ...overrides, db });
  const app = await buildApp(deps);
  extend?.(app);
  await app.ready();
  return {
    app,
    deps,
    logs,
    async close() {
      await app.close();
      await deps.worker.stop();
      await deps.redis?.quit();
      await (db as Awaited<ReturnType<typeof createTestDb>>).dropAfter?.();
    },
  };
}
