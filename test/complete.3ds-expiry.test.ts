import { describe, expect, it } from 'vitest';
import { buildGatewayApp } from '../src/gateway-app.js';
import { HOSTED_LABELS } from '../src/gateway-sandbox/hosted-labels.js';
import { THREE_DS_CARDS } from '../src/gateway-sandbox/index.js';
import { purgeExpiredData } from '../src/privacy/index.js';
import { useClockedTestApp } from './helpers/app.js';
import { completionCounts, EXACTLY_ONE, NOTHING } from './helpers/counts.js';
import { call, enrollUpToPayment } from './helpers/flow.js';

const APP = 'https://app.enroll.test';
const MINUTE = 60_000;

/**
 * A 3-D Secure challenge left unanswered expires (PAYMENT_CHALLENGE_TTL_MINUTES, default 15): its page can no
 * longer approve it, the next completion answers payment_authentication_expired with nothing charged and the
 * card kept, and the one after it opens a fresh challenge, so the enrollment is never stuck.
 */
describe('3-D Secure challenge expiry at completion', () => {
  const { clock, t } = useClockedTestApp({ PUBLIC_URL: APP, WEBAUTHN_RP_ID: 'enroll.test', GATEWAY_PUBLIC_URL: 'https://pay.enroll.test' });
  const complete = (id: string) => call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
  const answer = (challengeId: string, outcome: 'succeeded' | 'failed') => call(t.app, 'POST', `/sandbox-gateway/v1/challenges/${challengeId}`, { outcome });

  it('expires after 15 minutes by default; the next completion is payment_authentication_expired, the one after a fresh challenge', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, '3ds-late@example.com', { card: THREE_DS_CARDS.authentication_required });
    const first = await complete(id);
    expect(first.body.code).toBe('payment_authentication_required');
    const challengeId = first.body.next_action.challenge_id as string;

    // Still answerable just before the deadline (the same challenge on a repeated completion), not at it.
    clock.advance(15 * MINUTE - 1000);
    expect((await complete(id)).body.next_action.challenge_id).toBe(challengeId);
    clock.advance(1000);

    // The gateway's page shows it expired; an answer is refused with the reason.
    const gateway = await buildGatewayApp(t.deps);
    try {
      const page = await gateway.inject({ method: 'GET', url: `/sandbox-gateway/hosted/challenge/${challengeId}?parent_origin=${encodeURIComponent(APP)}&locale=de` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(JSON.stringify(HOSTED_LABELS.de.expired));
    } finally {
      await gateway.close();
    }
    const late = await answer(challengeId, 'succeeded');
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'gateway_challenge_unavailable', reason: 'expired' });

    const expired = await complete(id);
    expect(expired.status).toBe(402);
    expect(expired.body).toMatchObject({ code: 'payment_authentication_expired', decline_code: 'authentication_expired', soft: true, advice: 'authenticate' });
    expect(expired.body.next_action).toBeUndefined();
    // Nothing was charged (one failed charge row records the ending), and the card stays on the enrollment.
    expect(await completionCounts(t.db, id)).toEqual({ ...NOTHING, charges: 1 });
    const after = (await call(t.app, 'GET', `/v1/enrollments/${id}`)).body;
    expect(after).toMatchObject({ status: 'payment_attached', payment_method: { last4: '3155' } });

    // The customer retries: a fresh challenge, which passes, and the enrollment completes with one capture.
    const retry = await complete(id);
    expect(retry.status).toBe(402);
    expect(retry.body.code).toBe('payment_authentication_required');
    expect(retry.body.next_action.challenge_id).not.toBe(challengeId);
    expect((await answer(retry.body.next_action.challenge_id, 'succeeded')).status).toBe(200);
    const done = await Promise.all([complete(id), complete(id)]);
    expect(done.map((r) => r.status)).toEqual([200, 200]);
    expect(await completionCounts(t.db, id)).toEqual({ ...EXACTLY_ONE, charges: 2 });
    const captured = await t.db.query(`SELECT count(*)::int AS n FROM gateway_charges WHERE idempotency_key LIKE $1 AND captured`, [`${id}:%`]);
    expect(captured.rows[0].n).toBe(1);

    // A day after their deadline, the retention purge deletes both challenges; the charge rows stay.
    const challenges = async () => (await t.db.query(`SELECT count(*)::int AS n FROM gateway_challenges WHERE idempotency_key LIKE $1`, [`${id}:%`])).rows[0].n;
    expect(await challenges()).toBe(2);
    clock.advance(24 * 60 * MINUTE + 1000);
    expect((await purgeExpiredData(t.deps.db, { now: clock.now(), unfinishedDays: 30, runId: 'job_early' })).deleted.gateway_challenges).toBe(1);
    expect(await challenges()).toBe(1); // the retry's, whose deadline is not yet a day past
    clock.advance(15 * MINUTE);
    const purged = await purgeExpiredData(t.deps.db, { now: clock.now(), unfinishedDays: 30, runId: 'job_manual' });
    expect(purged.deleted.gateway_challenges).toBe(1);
    expect(await challenges()).toBe(0);
    expect((await completionCounts(t.db, id)).charges).toBe(2);
  });
});

describe('3-D Secure challenge expiry is configurable', () => {
  const { clock, t } = useClockedTestApp({ PAYMENT_CHALLENGE_TTL_MINUTES: '2' });

  it('PAYMENT_CHALLENGE_TTL_MINUTES=2 expires a challenge after two minutes', async () => {
    const { id } = await enrollUpToPayment(t.app, t.deps, '3ds-ttl@example.com', { card: THREE_DS_CARDS.authentication_required });
    const first = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
    expect(first.body.code).toBe('payment_authentication_required');
    clock.advance(2 * MINUTE);
    expect((await call(t.app, 'POST', `/sandbox-gateway/v1/challenges/${first.body.next_action.challenge_id}`, { outcome: 'succeeded' })).body).toMatchObject({ reason: 'expired' });
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/complete`)).body.code).toBe('payment_authentication_expired');
  });
});
