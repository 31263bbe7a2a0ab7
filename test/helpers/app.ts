import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { createManualClock } from '../../src/kernel/clock.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { createDeps, type Deps, type DepsOverrides } from '../../src/deps.js';
import type { Db } from '../../src/db/index.js';
import { createLogger } from '../../src/kernel/logger.js';
import { createTestDb } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  /**
   * The same database as the owner (the connecting role, above row-level security): for tests that
   * inspect or arrange rows directly. The app itself only ever holds deps.db, the app-role view.
   */
  db: Db;
  /** Every log line the app wrote, for the secrets scan. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * The harness itself looks like fraud: every request from one IP, the same few test cards on every enrollment,
 * trial after trial, forms filled in milliseconds. The rules that read exactly that are off here (score 0);
 * every other rule runs at its default. test/risk.*.test.ts turn them back on (RISK_SCORES: '').
 */
export const HARNESS_RISK_SCORES = 'velocity_ip:0,velocity_email:0,velocity_device:0,velocity_card:0,trial_card_reused:0,trial_email_reused:0,bot_form_too_fast:0';

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
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug', ADMIN_API_KEY: 'admin-test-key', PARTNER_API_KEYS: 'acme:partner-test-key', RISK_SCORES: HARNESS_RISK_SCORES, ...env });
  const db = overrides.db ?? (await createTestDb());
  const deps = await createDeps(config, createLogger({ level: config.logLevel, destination: sink }), { ...overrides, db });
  const app = await buildApp(deps);
  extend?.(app);
  await app.ready();
  return {
    app,
    deps,
    db,
    logs,
    async close() {
      await app.close();
      await deps.worker.stop();
      await deps.redis?.quit();
      await (db as Awaited<ReturnType<typeof createTestDb>>).dropAfter?.();
    },
  };
}

/** A test app on a manual clock for the enclosing describe block: filled in before its tests, closed after. */
export function useClockedTestApp(env: Record<string, string> = {}): { clock: ReturnType<typeof createManualClock>; t: TestApp } {
  const clock = createManualClock(new Date());
  const t = {} as TestApp;
  beforeAll(async () => {
    Object.assign(t, await createTestApp(env, { clock }));
  });
  afterAll(() => t.close());
  return { clock, t };
}
