import { describe, expect, it } from 'vitest';
import { purgeExpiredData } from '../src/privacy/index.js';
import { useClockedTestApp } from './helpers/app.js';
import { signedInCustomer } from './helpers/customer.js';
import { call, profile } from './helpers/flow.js';

const DAY = 86_400_000;

/** Issue 6 part 5: a scheduled job purges unfinished enrollments after RETENTION_UNFINISHED_DAYS, and expired codes and sessions. */
describe('retention', () => {
  const { clock, t } = useClockedTestApp();

  /** Rows anywhere that still point at the enrollment, through any foreign key. */
  async function referencesTo(id: string): Promise<Record<string, number>> {
    const fks = await t.db.query<{ tbl: string; col: string }>(
      `SELECT c.conrelid::regclass::text AS tbl, a.attname AS col FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND c.confrelid = 'enrollments'::regclass`,
    );
    const out: Record<string, number> = {};
    for (const fk of fks.rows) {
      const n = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${fk.tbl} WHERE ${fk.col} = $1`, [id])).rows[0]!.n;
      if (n > 0) out[fk.tbl] = n;
    }
    return out;
  }
  const purgeRuns = async () => (await t.db.query(`SELECT data FROM audit_events WHERE action = 'retention.purged' ORDER BY occurred_at, id`)).rows;

  it('purges an old unfinished enrollment with everything about it; keeps a recent one and a completed one; audits counts only', async () => {
    // Day 0: an enrollment left after the code was sent (profile, code, risk signals, a GPC opt-out), and a completed one.
    const old = (await call(t.app, 'POST', '/v1/enrollments', { locale: 'de-DE' })).body.id as string;
    expect((await call(t.app, 'PUT', `/v1/enrollments/${old}/profile`, profile('abandoned@example.com'), { 'sec-gpc': '1' })).status).toBe(200);
    expect((await call(t.app, 'POST', `/v1/enrollments/${old}/verification`, { channel: 'email' })).status).toBe(202);
    const done = await signedInCustomer(t.app, t.deps, 'kept@example.com');
    await t.deps.worker.drain();
    const before = await referencesTo(old);
    expect(before).toMatchObject({ verification_codes: 1, consent_records: 1, risk_signals: expect.any(Number), enrollment_transitions: expect.any(Number) });
    const scheduled = await t.db.query(`SELECT run_at FROM outbox_jobs WHERE type = 'purge-expired-data' AND status = 'pending'`);
    expect(scheduled.rows).toHaveLength(1); // scheduled at start-up, a day ahead

    // Day 32: a new enrollment starts. The retention period is configurable: at 60 days nothing is old enough yet.
    clock.advance(32 * DAY);
    const recent = (await call(t.app, 'POST', '/v1/enrollments', {})).body.id as string;
    await call(t.app, 'PUT', `/v1/enrollments/${recent}/profile`, profile('recent@example.com'));
    const notYet = await purgeExpiredData(t.deps.db, { now: clock.now(), unfinishedDays: 60, runId: 'job_manual' });
    expect(notYet.deleted.enrollments).toBeUndefined();
    // Expired one-time codes (both enrollments' email codes), the used sign-in link and the expired session go regardless.
    expect(notYet.deleted).toEqual({ verification_codes: 2, dashboard_links: 1, sessions: 1 });

    // The scheduled job (default 30 days) falls due by the test clock.
    await t.deps.worker.drain();
    const runs = await purgeRuns();
    expect(runs).toHaveLength(2);
    expect(runs[1].data).toEqual({
      cutoff: new Date(clock.now().getTime() - 30 * DAY).toISOString(),
      unfinished_days: 30,
      deleted: { enrollments: 1, enrollment_transitions: 1, consent_records: 1, risk_signals: before.risk_signals, outbox_jobs: 1 },
    });
    // Counts, not personal data.
    expect(JSON.stringify(runs)).not.toMatch(/@example\.com|enr_/);

    expect((await call(t.app, 'GET', `/v1/enrollments/${old}`)).body).toMatchObject({ status: 404, code: 'enrollment_not_found' });
    expect(await referencesTo(old)).toEqual({});
    expect((await t.db.query(`SELECT count(*)::int AS n FROM outbox_jobs WHERE payload->>'enrollment_id' = $1`, [old])).rows[0].n).toBe(0);
    expect((await call(t.app, 'GET', `/v1/enrollments/${recent}`)).body).toMatchObject({ status: 'profile_completed' });
    expect((await call(t.app, 'GET', `/v1/enrollments/${done.enrollmentId}`)).body).toMatchObject({ status: 'completed' });
    expect((await call(t.app, 'GET', `/v1/customers/${done.customerId}/consents`, undefined, { authorization: 'Bearer admin-test-key' })).body.ledger).toHaveLength(3);
    // The completed customer's session expired (14 days) and was purged: the cookie no longer signs in.
    expect((await t.db.query(`SELECT count(*)::int AS n FROM sessions WHERE customer_id = $1`, [done.customerId])).rows[0].n).toBe(0);
    expect((await call(t.app, 'GET', `/v1/customers/${done.customerId}/consents`, undefined, done.headers)).status).toBe(401);

    // It rescheduled itself once, a day ahead of the test clock: draining again does not run it again (no busy loop).
    const next = await t.db.query<{ run_at: Date }>(`SELECT run_at FROM outbox_jobs WHERE type = 'purge-expired-data' AND status = 'pending'`);
    expect(next.rows).toHaveLength(1);
    expect(new Date(next.rows[0]!.run_at).getTime()).toBeGreaterThan(clock.now().getTime());
    await t.deps.worker.drain();
    expect(await purgeRuns()).toHaveLength(2);
  });
});
