import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment, profile } from './helpers/flow.js';

describe('register.enumeration: a taken address is never revealed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    const { id } = await enrollUpToPayment(t.app, t.deps, 'owner@example.com');
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/complete`)).status).toBe(200);
    await t.deps.worker.drain();
  });
  afterAll(() => t.close());

  async function attempt(email: string) {
    const start = await call(t.app, 'POST', '/v1/enrollments', {});
    const id = start.body.id;
    const p = await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(email));
    const began = performance.now();
    const v = await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' });
    return { id, p, v, ms: performance.now() - began };
  }
  const shape = (r: { status: number; body: any }) => ({ status: r.status, keys: Object.keys(r.body).sort() });

  it('answers the same for a taken and a free address, and mails the owner a notice instead of a code', async () => {
    const taken = await attempt('Owner@Example.com');
    const free = await attempt('stranger@example.com');
    expect(shape(taken.p)).toEqual(shape(free.p));
    expect(taken.p.body.status).toBe(free.p.body.status);
    expect(shape(taken.v)).toEqual(shape(free.v));
    await t.deps.worker.drain();
    const box = (await call(t.app, 'GET', '/dev/mailbox?to=owner@example.com')).body.messages;
    const last = box[box.length - 1];
    expect(last.text).not.toMatch(/\b\d{6}\b/);
    const audit = await t.deps.db.query(`SELECT action FROM audit_events WHERE subject_id = $1 AND action LIKE 'verification.%'`, [taken.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['verification.existing_account_notified']);
  });

  it('keeps timing similar: the taken path does the same work as the free one', async () => {
    const takenMs: number[] = [];
    const freeMs: number[] = [];
    for (let i = 0; i < 8; i++) {
      takenMs.push((await attempt('owner@example.com')).ms);
      freeMs.push((await attempt(`free-${i}@example.com`)).ms);
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ratio = median(takenMs) / median(freeMs);
    // Same statements on both paths; a 2× gap would mean a branch that talks.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
