import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance } from '../src/enrollment/advance.js';
import { loadEnrollment } from '../src/enrollment/load-enrollment.js';
import { isAppError } from '../src/kernel/errors.js';
import { enrollmentErrors } from '../src/enrollment/errors.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { enrollUpToPayment } from './helpers/flow.js';

/**
 * advance({ last: true }) is sent with its transaction's COMMIT, so the app cannot look at its result before the
 * commit: a version conflict must roll back, inside the database, everything the transaction wrote before it.
 */
describe('advance as the last statement of its transaction', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const ctx = () => ({ now: t.deps.clock.now(), actor: { type: 'system' as const }, channel: 'web', requestId: 'req_last' });
  const signals = async (id: string) =>
    (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM risk_signals WHERE enrollment_id = $1 AND value_hash = 'probe'`, [id])).rows[0]!.n;

  it('commits the transaction with the transition', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, 'last-ok@example.com');
    const e = await loadEnrollment(t.deps.db, id, t.deps.vault);
    const updated = await t.deps.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO risk_signals (enrollment_id, kind, value_hash, occurred_at) VALUES ($1, 'card', 'probe', now())`, [id]);
      return advance(tx, e, { event: 'attach_payment', patch: { last_decline: null }, audit: { action: 'enrollment.payment_method_attached' }, last: true }, ctx());
    });
    expect(updated).toMatchObject({ state: 'payment_attached', version: e.version + 1 });
    expect((await loadEnrollment(t.deps.db, id, t.deps.vault)).state).toBe('payment_attached');
    expect(await signals(id)).toBe(1);
  });

  it('a version conflict is enrollment_conflict, and nothing the transaction wrote is committed', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, 'last-conflict@example.com');
    const stale = await loadEnrollment(t.deps.db, id, t.deps.vault);
    await t.db.query(`UPDATE enrollments SET version = version + 1 WHERE id = $1`, [id]); // someone else moved it
    const failure = await t.deps.db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO risk_signals (enrollment_id, kind, value_hash, occurred_at) VALUES ($1, 'card', 'probe', now())`, [id]);
        return advance(tx, stale, { event: 'attach_payment', patch: { last_decline: null }, audit: { action: 'enrollment.payment_method_attached' }, last: true }, ctx());
      })
      .catch((err: unknown) => err);
    expect(isAppError(failure, enrollmentErrors.enrollment_conflict)).toBe(true);
    expect(await signals(id)).toBe(0);
    const now = await loadEnrollment(t.deps.db, id, t.deps.vault);
    expect({ state: now.state, version: now.version }).toEqual({ state: stale.state, version: stale.version + 1 });
  });
});
