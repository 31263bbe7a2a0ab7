import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createTestDb } from './helpers/db.js';
import { call, enrollUpToPayment, profile } from './helpers/flow.js';
import { createRecordingDb } from './helpers/recording-db.js';

describe('register.enumeration: a taken address is never revealed', () => {
  let t: TestApp;
  let base: Awaited<ReturnType<typeof createTestDb>>;
  let recorder: ReturnType<typeof createRecordingDb>;
  beforeAll(async () => {
    base = await createTestDb();
    recorder = createRecordingDb(base);
    t = await createTestApp({}, { db: recorder.db });
    const { id } = await enrollUpToPayment(t.app, t.deps, 'owner@example.com');
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/complete`)).status).toBe(200);
    await t.deps.worker.drain();
  });
  afterAll(async () => {
    await t.close();
    await base.dropAfter();
  });

  async function attempt(email: string) {
    const start = await call(t.app, 'POST', '/v1/enrollments', {});
    const id = start.body.id;
    const p = await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(email));
    const v = await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' });
    return { id, p, v };
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
    const audit = await t.db.query(`SELECT action FROM audit_events WHERE subject_id = $1 AND action LIKE 'verification.%'`, [taken.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['verification.existing_account_notified']);
  });

  it('a profile edited after the send gets no notice meant for the address owner', async () => {
    const start = await call(t.app, 'POST', '/v1/enrollments', {});
    const id = start.body.id;
    await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile('owner@example.com'));
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status).toBe(202);
    // Before the worker runs, the attacker swaps in their own address.
    await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile('attacker@example.com'));
    await t.deps.worker.drain();
    expect((await call(t.app, 'GET', '/dev/mailbox?to=attacker@example.com')).body.messages).toEqual([]);
    const skipped = await t.db.query(`SELECT data->>'reason' AS reason FROM audit_events WHERE subject_id = $1 AND action = 'notification.email_skipped'`, [id]);
    expect(skipped.rows).toEqual([{ reason: 'destination_changed' }]);
  });

  it('keeps timing similar: the taken path runs exactly the same statements as the free one', async () => {
    // Wall-clock ratios are noise on a shared 2-core runner; the work done is what timing follows, so compare that.
    const statementsOf = async (email: string) => {
      const start = await call(t.app, 'POST', '/v1/enrollments', {});
      await call(t.app, 'PUT', `/v1/enrollments/${start.body.id}/profile`, profile(email));
      recorder.state.statements = [];
      recorder.state.recording = true;
      await call(t.app, 'POST', `/v1/enrollments/${start.body.id}/verification`, { channel: 'email' });
      recorder.state.recording = false;
      return recorder.state.statements;
    };
    const taken = await statementsOf('owner@example.com');
    const free = await statementsOf('someone-new@example.com');
    expect(taken.length).toBeGreaterThan(5);
    expect(taken).toEqual(free);
  });
});
