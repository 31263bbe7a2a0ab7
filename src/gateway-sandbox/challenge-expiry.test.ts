import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/helpers/db.js';
import { createManualClock } from '../kernel/clock.js';
import { challengePage } from './hosted-pages.js';
import { HOSTED_LABELS } from './hosted-labels.js';
import { createSandboxGateway, deleteExpiredChallenges, THREE_DS_CARDS, type SandboxGateway } from './index.js';
import { NOW, TEST_SECRET, tokenFor } from './test-support.js';

const MINUTE = 60_000;

/** A 3-D Secure challenge is answerable for a configurable time (here 5 minutes); unanswered by then, its payment ends. */
describe('3-D Secure challenge expiry', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  let gw: SandboxGateway;
  const clock = createManualClock(NOW);
  let n = 0;
  beforeAll(async () => {
    db = await createTestDb();
    gw = createSandboxGateway({ db, secret: TEST_SECRET, clock, challengeTtlMinutes: 5 });
  });
  afterAll(() => db?.dropAfter());

  /** A pending challenge for a fresh 3-D Secure card, on the clock's current time. */
  async function open(capture = true) {
    const pm = await gw.createPaymentMethod({ token: await tokenFor(gw, THREE_DS_CARDS.authentication_required), idempotencyKey: `pm-exp-${n++}` });
    const input = { paymentMethodId: pm.id, amount: 2900, currency: 'EUR', idempotencyKey: `ch-exp-${n++}`, capture };
    const first = await gw.chargeOnSession(input);
    if (first.status !== 'requires_action') throw new Error(`expected requires_action, got ${first.status}`);
    return { input, challengeId: first.nextAction.challengeId };
  }
  const rowsFor = async (key: string) => ({
    challenges: (await db.query(`SELECT status FROM gateway_challenges WHERE idempotency_key = $1`, [key])).rows.map((r) => r.status),
    charges: (await db.query(`SELECT status, captured, decline_code FROM gateway_charges WHERE idempotency_key = $1`, [key])).rows,
  });

  it('is still pending a moment before its deadline, and expired at it: no answer is taken then', async () => {
    const { input, challengeId } = await open();
    clock.advance(5 * MINUTE - 1);
    expect((await gw.getChallenge(challengeId))?.status).toBe('pending');
    expect((await gw.chargeOnSession(input)).status).toBe('requires_action');
    clock.advance(1);
    expect((await gw.getChallenge(challengeId))?.status).toBe('expired');
    await expect(gw.answerChallenge(challengeId, 'succeeded')).rejects.toMatchObject({ code: 'gateway_challenge_unavailable', extra: { reason: 'expired' } });
    await expect(gw.answerChallenge(challengeId, 'failed')).rejects.toMatchObject({ code: 'gateway_challenge_unavailable', extra: { reason: 'expired' } });
    expect((await rowsFor(input.idempotencyKey)).challenges).toEqual(['pending']);
  });

  it('the merchant call after the deadline ends the payment: declined authentication_expired, replayed the same, nothing captured', async () => {
    const { input, challengeId } = await open();
    clock.advance(6 * MINUTE);
    const expired = await gw.chargeOnSession(input);
    expect(expired).toMatchObject({ status: 'declined', declineCode: 'authentication_expired', amount: 2900, currency: 'EUR' });
    expect(await gw.chargeOnSession(input)).toEqual(expired);
    expect(await rowsFor(input.idempotencyKey)).toEqual({ challenges: ['expired'], charges: [{ status: 'failed', captured: false, decline_code: 'authentication_expired' }] });
    await expect(gw.answerChallenge(challengeId, 'succeeded')).rejects.toMatchObject({ extra: { reason: 'expired' } });
    // The same card under a new key (the caller's next attempt) gets a new challenge, which can pass.
    const retry = { ...input, idempotencyKey: `${input.idempotencyKey}:retry` };
    const again = await gw.chargeOnSession(retry);
    expect(again).toMatchObject({ status: 'requires_action' });
    if (again.status !== 'requires_action') return;
    expect(again.nextAction.challengeId).not.toBe(challengeId);
    await gw.answerChallenge(again.nextAction.challengeId, 'succeeded');
    expect(await gw.chargeOnSession(retry)).toMatchObject({ status: 'succeeded', kind: 'charge' });
  });

  it('an answer given in time counts, even when the merchant confirms after the deadline', async () => {
    const { input, challengeId } = await open(false);
    clock.advance(4 * MINUTE);
    await gw.answerChallenge(challengeId, 'succeeded');
    clock.advance(10 * MINUTE);
    expect((await gw.getChallenge(challengeId))?.status).toBe('succeeded');
    expect(await gw.chargeOnSession(input)).toMatchObject({ status: 'succeeded', kind: 'authorization' });
    expect((await rowsFor(input.idempotencyKey)).challenges).toEqual(['succeeded']);
  });

  it('an expired challenge\'s page says so and tells its parent the challenge is over', async () => {
    const { challengeId } = await open();
    clock.advance(5 * MINUTE);
    const page = challengePage((await gw.getChallenge(challengeId))!, 'https://app.example', 'de');
    expect(page.html).toContain(JSON.stringify(HOSTED_LABELS.de.expired));
    expect(page.html).toContain('ANSWERED="expired"');
  });

  it('retention deletes challenges whose deadline is older than the cut-off, and only those', async () => {
    clock.advance(1); // every earlier challenge's deadline is now strictly past
    const { input } = await open();
    const before = (await db.query(`SELECT count(*)::int AS n FROM gateway_challenges`)).rows[0].n;
    const deleted = await deleteExpiredChallenges(db, clock.now());
    expect(deleted).toBe(before - 1);
    expect((await db.query(`SELECT idempotency_key FROM gateway_challenges`)).rows).toEqual([{ idempotency_key: input.idempotencyKey }]);
  });
});
