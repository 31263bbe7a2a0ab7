import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { createTestDb } from '../../test/helpers/db.js';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Db } from '../db/index.js';
import { registerProblemHandlers } from '../http/problem.js';
import { createManualClock } from '../kernel/clock.js';
import { createSandboxGateway, sandboxGatewayRoutes, type SandboxGateway } from './index.js';

/** Test-only wiring (not a *.test.ts file, so vitest does not run it). */
export const TEST_SECRET = 'gateway-test-secret-0123456789';
export const NOW = new Date('2026-03-15T12:00:00Z');
export const GOOD_EXPIRY = { exp_month: 12, exp_year: 2030 } as const;

export function testGateway(db: Db) {
  const clock = createManualClock(NOW);
  return { clock, gateway: createSandboxGateway({ db, secret: TEST_SECRET, clock }) };
}

/** A fresh database and gateway for one describe block, dropped after it; read its fields inside the tests. */
export function gatewayFixture() {
  const f = {} as { db: Awaited<ReturnType<typeof createTestDb>>; gw: SandboxGateway };
  beforeAll(async () => {
    f.db = await createTestDb();
    f.gw = testGateway(f.db).gateway;
  });
  afterAll(() => f.db?.dropAfter());
  return f;
}

export async function testApp(gateway: SandboxGateway, db: Db): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandlers(app);
  await app.register(sandboxGatewayRoutes({ gateway, db, secret: TEST_SECRET }));
  await app.ready();
  return app;
}

export async function tokenFor(gateway: SandboxGateway, number: string, cvc = '123'): Promise<string> {
  return (await gateway.tokenizeCard({ number, cvc, ...GOOD_EXPIRY })).id;
}
