import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { completionCounts, EXACTLY_ONE, NOTHING } from './helpers/counts.js';
import { createTestDb } from './helpers/db.js';
import { createFaultyDb } from './helpers/faulty-db.js';
import { call, enrollUpToPayment } from './helpers/flow.js';

describe('completion is all or nothing', () => {
  let t: TestApp;
  let faulty: ReturnType<typeof createFaultyDb>;
  let base: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    base = await createTestDb();
    faulty = createFaultyDb(base);
    t = await createTestApp({}, { db: faulty.db });
  });
  afterAll(async () => {
    await t.close();
    await base.dropAfter();
  });

  it('a crash at every statement of the completion transaction leaves nothing; the retry charges once', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, 'crash@example.com');
    faulty.fault.trigger = /FROM enrollments WHERE id = \$1 FOR UPDATE/;
    let crashes = 0;
    for (let k = 1; ; k++) {
      faulty.fault.armed = true;
      faulty.fault.failAt = k;
      faulty.fault.fired = false;
      const res = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
      faulty.fault.armed = false;
      if (!faulty.fault.fired) {
        expect(res.status).toBe(200);
        break;
      }
      crashes++;
      expect(res.status).toBe(500);
      expect(res.body.code).toBe('internal_error');
      expect(JSON.stringify(res.body)).not.toContain('injected');
      const counts = await completionCounts(t.db, id);
      expect({ ...counts, charges: undefined }).toMatchObject({ ...NOTHING, charges: undefined });
      expect(counts.charges).toBe(1); // the gateway was asked once, under one key, however often we crashed
      expect((await call(t.app, 'GET', `/v1/enrollments/${id}`)).body.status).toBe('payment_attached');
    }
    // Every statement of the transaction (the lock included) was a crash point once.
    expect(faulty.fault.counted).toBeGreaterThanOrEqual(7);
    expect(crashes).toBe(faulty.fault.counted);
    expect(await completionCounts(t.db, id)).toEqual(EXACTLY_ONE);
  });
});
