import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { REASON_CODES } from '../src/risk/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { completionCounts, EXACTLY_ONE, NOTHING } from './helpers/counts.js';
import { profile } from './helpers/flow.js';
import { freshCard, freshIp, riskClient, riskOf } from './helpers/risk.js';

const ADMIN = { authorization: 'Bearer admin-test-key' };
const HEADLESS = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36' };
// A reason code must never reach the customer; this catches any of them in a response body.
const REASON_CODE = new RegExp(`\\b(${REASON_CODES.join('|')})\\b`);

describe('risk decisions through the HTTP API (every rule at its default score)', () => {
  let t: TestApp;
  let c: ReturnType<typeof riskClient>;
  const clock = createManualClock();
  beforeAll(async () => {
    t = await createTestApp(
      { RISK_SCORES: '', RISK_BLOCKLIST: 'blocked@example.com,@blocked.example,203.0.113.66', RISK_ALLOWLIST: 'vip@mailinator.com' },
      { clock },
    );
    c = riskClient(t, clock);
  });
  afterAll(() => t.close());

  let n = 0;
  const email = (tag: string) => `${tag}-${n++}@example.com`;

  it('a clean sign-up is allowed: unchanged flow, decision stored and audited at both stages, nothing for the client to do', async () => {
    const ip = freshIp();
    const mail = email('clean');
    const { id, res } = await c.profile(mail, { ip });
    expect(res.status).toBe(200);
    expect(res.body.risk).toEqual({ second_factor_required: false, factors: [] });
    await c.toPayment(id, mail, { ip });
    const done = await c.complete(id, { ip });
    expect(done.status).toBe(200);
    expect(await completionCounts(t.db, id)).toEqual(EXACTLY_ONE);
    const r = await riskOf(t, id);
    expect(r.risk).toMatchObject({ decision: 'allow', score: 0, reasons: [] });
    expect(r.assessed).toEqual([{ stage: 'profile', score: 0, decision: 'allow', reasons: [] }]);
  });

  it('disposable email: email_disposable, a challenge; the view asks for a second factor but says nothing of why', async () => {
    const ip = freshIp();
    const { id, res } = await c.profile(`d-${n++}@mailinator.com`, { ip });
    expect(res.status).toBe(200);
    expect(res.body.risk).toEqual({ second_factor_required: true, factors: ['passkey', 'totp'] });
    expect(JSON.stringify(res.body)).not.toMatch(REASON_CODE);
    const r = await riskOf(t, id);
    expect(r.codes).toEqual(['email_disposable']);
    expect(r.risk.decision).toBe('challenge');
    expect(r.assessed[0]).toMatchObject({ stage: 'profile', decision: 'challenge', reasons: [{ code: 'email_disposable', score: 40 }] });
  });

  it('wildcard roots count as disposable (a subdomain of 33mail.com)', async () => {
    const { id } = await c.profile(`w-${n++}@someone.33mail.com`, { ip: freshIp() });
    expect((await riskOf(t, id)).codes).toEqual(['email_disposable']);
  });

  it('headless browser user agent: bot_headless_ua, a challenge', async () => {
    const { id } = await c.profile(email('headless'), { ip: freshIp(), headers: HEADLESS });
    const r = await riskOf(t, id);
    expect(r.codes).toEqual(['bot_headless_ua']);
    expect(r.risk.decision).toBe('challenge');
  });

  it('a profile faster than a human types: bot_form_too_fast, alone still allowed', async () => {
    const { id } = await c.profile(email('fast'), { ip: freshIp(), fast: true });
    const r = await riskOf(t, id);
    expect(r.codes).toEqual(['bot_form_too_fast']);
    expect(r.risk.decision).toBe('allow');
  });

  it('the allowlist allows what the rules would challenge, and keeps the reasons on record', async () => {
    const { id, res } = await c.profile('vip@mailinator.com', { ip: freshIp() });
    expect(res.body.risk.second_factor_required).toBe(false);
    const r = await riskOf(t, id);
    expect(r.codes).toEqual(['allowlisted', 'email_disposable']);
    expect(r.risk.decision).toBe('allow');
  });

  it.each([
    ['an email', 'blocked@example.com', undefined],
    ['a domain', `x-${n++}@mx.blocked.example`, undefined],
    ['an IP', 'ip-blocked@example.com', '203.0.113.66'],
  ])('blocklist (%s): 403 risk_denied with no reasons, enrollment rejected, profile not kept, nothing created', async (_what, mail, blockedIp) => {
    const { id, res } = await c.profile(mail, { ip: blockedIp ?? freshIp() });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('risk_denied');
    expect(JSON.stringify(res.body)).not.toMatch(REASON_CODE);
    const r = await riskOf(t, id);
    expect(r.state).toBe('rejected');
    expect(r.codes).toEqual(['blocklisted']);
    expect(r.assessed).toEqual([{ stage: 'profile', score: 100, decision: 'deny', reasons: [{ code: 'blocklisted', score: 100 }] }]);
    const row = await t.db.query('SELECT profile_sealed, email_hash FROM enrollments WHERE id = $1', [id]);
    expect(row.rows[0]).toEqual({ profile_sealed: null, email_hash: null });
    expect(await completionCounts(t.db, id)).toMatchObject({ ...NOTHING, charges: 0 });
    const view = await c.send('GET', `/v1/enrollments/${id}`);
    expect(view.body).toMatchObject({ status: 'rejected', next: [], profile: null });
    // A rejected enrollment stays rejected: no second try with another address.
    const again = await c.send('PUT', `/v1/enrollments/${id}/profile`, profile(email('second-try')));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('enrollment_invalid_transition');
  });

  it('phone vs card country: country_mismatch_phone_card at completion (a German phone, a US card)', async () => {
    const ip = freshIp();
    const mail = email('phone-card');
    const { id } = await c.profile(mail, { ip, phone: '+4915123450001' });
    await c.toPayment(id, mail, { ip });
    expect((await c.complete(id, { ip })).status).toBe(200);
    const r = await riskOf(t, id);
    expect(r.codes).toEqual(['country_mismatch_phone_card']);
    expect(r.assessed.map((a) => a.stage)).toEqual(['profile', 'payment']);
  });

  it('concurrent completions record a changed verdict once, and charge once', async () => {
    const ip = freshIp();
    const mail = email('parallel');
    const { id } = await c.profile(mail, { ip, phone: '+4915123450003' });
    await c.toPayment(id, mail, { ip });
    const results = await Promise.all(Array.from({ length: 8 }, () => c.complete(id, { ip })));
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    expect(await completionCounts(t.db, id)).toEqual(EXACTLY_ONE);
    const r = await riskOf(t, id);
    expect(r.assessed.filter((a) => a.stage === 'payment')).toEqual([
      { stage: 'payment', score: 15, decision: 'allow', reasons: [{ code: 'country_mismatch_phone_card', score: 15 }] },
    ]);
  });

  it('a matching card (German phone, German test card) gives no mismatch', async () => {
    const ip = freshIp();
    const mail = email('phone-card-de');
    const { id } = await c.profile(mail, { ip, phone: '+4915123450002' });
    await c.toPayment(id, mail, { ip, card: '4000002760000016' });
    expect((await c.complete(id, { ip })).status).toBe(200);
    expect((await riskOf(t, id)).codes).toEqual([]);
  });

  describe('trial abuse (a trial taken before with this card or this email)', () => {
    const card = freshCard();
    const first = `trial-${n++}@gmail.com`;
    beforeAll(async () => {
      const ip = freshIp();
      const { id } = await c.profile(first, { ip });
      await c.toPayment(id, first, { ip, plan: 'pro', card });
      expect((await c.complete(id, { ip })).body.subscription.status).toBe('trialing');
    });

    it('the same card: trial_card_reused; held for review at completion, before any charge', async () => {
      const ip = freshIp();
      const mail = email('trial-card');
      const { id } = await c.profile(mail, { ip });
      await c.toPayment(id, mail, { ip, plan: 'pro', card });
      const res = await c.complete(id, { ip });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('risk_review_pending');
      const r = await riskOf(t, id);
      expect(r).toMatchObject({ state: 'pending_review', codes: ['trial_card_reused'] });
      expect(await completionCounts(t.db, id)).toMatchObject({ ...NOTHING, charges: 0 });
    });

    it('the same card on a plan without a trial is no trial abuse', async () => {
      const ip = freshIp();
      const mail = email('paid-card');
      const { id } = await c.profile(mail, { ip });
      await c.toPayment(id, mail, { ip, plan: 'starter', card });
      expect((await c.complete(id, { ip })).status).toBe(200);
      expect((await riskOf(t, id)).codes).toEqual([]);
    });

    it('the same inbox behind a +tag and dots: trial_email_reused', async () => {
      const ip = freshIp();
      const [local] = first.split('@');
      const mail = `${local.slice(0, 2)}.${local.slice(2)}+again@googlemail.com`;
      const { id } = await c.profile(mail, { ip });
      await c.toPayment(id, mail, { ip, plan: 'pro' });
      expect((await c.complete(id, { ip })).body.code).toBe('risk_review_pending');
      expect((await riskOf(t, id)).codes).toEqual(['trial_email_reused']);
    });

    it('partner channel: the same hold reaches the partner; after approval a retry of the same external_ref completes', async () => {
      // A card of its own that had one trial on the web, so no other test's use of a card adds to this one.
      const own = freshCard();
      const ip = freshIp();
      const earlier = email('web-trial');
      const web = await c.profile(earlier, { ip });
      await c.toPayment(web.id, earlier, { ip, plan: 'pro', card: own });
      expect((await c.complete(web.id, { ip })).status).toBe(200);
      const mail = email('partner-trial');
      const order = async () => {
        const tok = await c.send('POST', '/sandbox-gateway/v1/tokens', { number: own, exp_month: 12, exp_year: 2040, cvc: '123' });
        return {
          external_ref: `trial-${mail}`, email_verified: true, profile: profile(mail),
          plan: { plan_id: 'pro', interval: 'month', currency: 'EUR' }, payment_method: { token: tok.body.id },
        };
      };
      const AUTH = { authorization: 'Bearer partner-test-key' };
      const first = await c.send('POST', '/v1/channels/partner/enrollments', await order(), { headers: AUTH });
      expect(first.status).toBe(409);
      expect(first.body.code).toBe('risk_review_pending');
      const id = first.body.enrollment_id as string;
      expect(await riskOf(t, id)).toMatchObject({ state: 'pending_review', codes: ['trial_card_reused'] });
      expect((await c.send('POST', '/v1/channels/partner/enrollments', await order(), { headers: AUTH })).body.code).toBe('risk_review_pending');
      expect((await c.send('POST', `/v1/admin/enrollments/${id}/review/approve`, undefined, { headers: ADMIN })).status).toBe(200);
      const retry = await c.send('POST', '/v1/channels/partner/enrollments', await order(), { headers: AUTH });
      expect(retry.status).toBe(200);
      expect(retry.body.enrollment_id).toBe(id);
      expect(await completionCounts(t.db, id)).toEqual(EXACTLY_ONE);
    });

    it('both at once: deny at completion, 403 risk_denied, rejected, nothing charged or created', async () => {
      const ip = freshIp();
      const [local] = first.split('@');
      const mail = `${local}+third@gmail.com`;
      const { id } = await c.profile(mail, { ip });
      await c.toPayment(id, mail, { ip, plan: 'pro', card });
      const res = await c.complete(id, { ip });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('risk_denied');
      expect(JSON.stringify(res.body)).not.toMatch(REASON_CODE);
      const r = await riskOf(t, id);
      // (The card has been on three other enrollments of this file by now, so velocity_card may join in.)
      expect(r).toMatchObject({ state: 'rejected', codes: expect.arrayContaining(['trial_card_reused', 'trial_email_reused']) });
      expect(r.risk.decision).toBe('deny');
      expect(await completionCounts(t.db, id)).toMatchObject({ ...NOTHING, charges: 0 });
      expect((await c.complete(id, { ip })).body.code).toBe('risk_denied');
    });
  });

  describe('review: pending_review, then an admin decides', () => {
    /** Disposable (40) + instant form (20) = 60: review. */
    async function held() {
      const ip = freshIp();
      const mail = `review-${n++}@mailinator.com`;
      const { id } = await c.profile(mail, { ip, fast: true });
      expect((await riskOf(t, id)).risk.decision).toBe('review');
      await c.toPayment(id, mail, { ip });
      const res = await c.complete(id, { ip });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('risk_review_pending');
      const view = await c.send('GET', `/v1/enrollments/${id}`);
      expect(view.body).toMatchObject({ status: 'pending_review', next: [] });
      expect(JSON.stringify(view.body)).not.toMatch(REASON_CODE);
      expect(await completionCounts(t.db, id)).toMatchObject({ ...NOTHING, charges: 0 });
      return { id, ip };
    }

    it('the admin endpoints need the admin key; the admin sees the reasons', async () => {
      const { id } = await held();
      for (const path of ['risk', 'review/approve', 'review/reject']) {
        const method = path === 'risk' ? 'GET' : 'POST';
        expect((await c.send(method, `/v1/admin/enrollments/${id}/${path}`)).status).toBe(401);
        expect((await c.send(method, `/v1/admin/enrollments/${id}/${path}`, undefined, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      }
      const risk = await c.send('GET', `/v1/admin/enrollments/${id}/risk`, undefined, { headers: ADMIN });
      expect(risk.status).toBe(200);
      expect(risk.body).toMatchObject({ status: 'pending_review', risk: { decision: 'review', score: 60 } });
      expect(risk.body.risk.reasons.map((r: { code: string }) => r.code).sort()).toEqual(['bot_form_too_fast', 'email_disposable']);
      expect(JSON.stringify(risk.body)).toMatch(REASON_CODE); // the leak check above can see a reason when there is one
      expect((await c.send('GET', '/v1/admin/reviews')).status).toBe(401);
      const queue = await c.send('GET', '/v1/admin/reviews', undefined, { headers: ADMIN });
      expect(queue.body.data.map((q: { enrollment_id: string }) => q.enrollment_id)).toContain(id);
      expect(queue.body.data.every((q: { status: string }) => q.status === 'pending_review')).toBe(true);
    });

    it('approve: back to payment_attached; completion then charges once, and the approval is audited', async () => {
      const { id, ip } = await held();
      const ok = await c.send('POST', `/v1/admin/enrollments/${id}/review/approve`, undefined, { headers: ADMIN });
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('payment_attached');
      expect((await c.send('POST', `/v1/admin/enrollments/${id}/review/approve`, undefined, { headers: ADMIN })).body.code).toBe('enrollment_invalid_transition');
      const done = await c.complete(id, { ip });
      expect(done.status).toBe(200);
      expect(await completionCounts(t.db, id)).toEqual(EXACTLY_ONE);
      const audit = await t.db.query(`SELECT actor_type, data FROM audit_events WHERE subject_id = $1 AND action = 'risk.review_approved'`, [id]);
      expect(audit.rows).toHaveLength(1);
      expect(audit.rows[0]).toMatchObject({ actor_type: 'admin', data: { from: 'pending_review', to: 'payment_attached', score: 60 } });
    });

    it('reject: terminal; completion is refused and nothing is created', async () => {
      const { id, ip } = await held();
      const no = await c.send('POST', `/v1/admin/enrollments/${id}/review/reject`, undefined, { headers: ADMIN });
      expect(no.status).toBe(200);
      expect(no.body.status).toBe('rejected');
      const res = await c.complete(id, { ip });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('risk_denied');
      expect((await c.send('POST', `/v1/admin/enrollments/${id}/review/approve`, undefined, { headers: ADMIN })).status).toBe(409);
      expect(await completionCounts(t.db, id)).toMatchObject({ ...NOTHING, charges: 0 });
      const audit = await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action = 'risk.review_rejected'`, [id]);
      expect(audit.rows[0].n).toBe(1);
    });

    it('an enrollment held for review does not expire while it waits, and approval gives it a fresh lease', async () => {
      const { id, ip } = await held();
      clock.advance(2 * 24 * 3600_000);
      expect((await c.send('GET', `/v1/enrollments/${id}`)).body.status).toBe('pending_review');
      expect((await c.send('POST', `/v1/admin/enrollments/${id}/review/approve`, undefined, { headers: ADMIN })).status).toBe(200);
      // The quote expired meanwhile: a new one, then completion (the approval covers the same reasons).
      expect((await c.send('PUT', `/v1/enrollments/${id}/plan`, { plan_id: 'starter', interval: 'month', currency: 'EUR' }, { ip })).status).toBe(200);
      expect((await c.complete(id, { ip })).status).toBe(200);
    });
  });
});
