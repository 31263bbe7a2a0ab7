import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalogue } from '../src/kernel/errors.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, profile, readCode, tokenize } from './helpers/flow.js';

/** Localization through the HTTP API: plans, problem titles, emails, money and dates, and right-to-left. */
describe('i18n through the HTTP API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const mailbox = async (to: string) => {
    await t.deps.worker.drain();
    return (await call(t.app, 'GET', `/dev/mailbox?to=${encodeURIComponent(to)}`)).body.messages as { subject: string; text: string; html: string }[];
  };

  async function verified(email: string, start: Record<string, unknown>, country: string) {
    const s = await call(t.app, 'POST', '/v1/enrollments', start);
    expect(s.status).toBe(201);
    const id = s.body.id as string;
    expect((await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(email, { country }))).status).toBe(200);
    expect((await call(t.app, 'POST', `/v1/enrollments/${id}/verification`, { channel: 'email' })).status).toBe(202);
    return { id, start: s.body };
  }

  it('GET /v1/plans?locale=ar answers in Arabic from the catalogues; the wire shape is unchanged', async () => {
    const r = await call(t.app, 'GET', '/v1/plans?locale=ar&country=KW');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ locale: 'ar', currency: 'KWD' });
    expect(r.body.plans.map((p: { id: string }) => p.id)).toEqual(['starter', 'pro', 'business']);
    expect(r.body.plans[0].name).toBe('المبتدئ');
    for (const p of r.body.plans) expect(p.tagline).toMatch(/[\u0600-\u06FF]/);
    expect(r.body.features[0]).toEqual({ key: 'seats', label: 'مقاعد الفريق' });
    expect(r.body.matrix.rows[0].label).toBe('مقاعد الفريق');
    // Accept-Language when no explicit parameter; the parameter wins over the header.
    const de = await call(t.app, 'GET', '/v1/plans?currency=EUR', undefined, { 'accept-language': 'de-DE,de;q=0.9' });
    expect(de.body.features[0].label).toBe('Team-Plätze');
    const fr = await call(t.app, 'GET', '/v1/plans?currency=EUR&locale=fr-FR', undefined, { 'accept-language': 'de' });
    expect(fr.body.features[0].label).toBe('Places d’équipe');
    expect(fr.body.plans[0].prices[0].display).toBe('9,00\u00a0€'); // NBSP before the sign in fr-FR
    const en = await call(t.app, 'GET', '/v1/plans?currency=EUR');
    expect(en.body.plans[1].name).toBe('Pro');
  });

  it('GET /v1/plans?locale=ja formats yen with the full-width sign', async () => {
    const r = await call(t.app, 'GET', '/v1/plans?locale=ja-JP&country=JP');
    const month = r.body.plans[0].prices.find((p: { interval: string }) => p.interval === 'month');
    expect(month).toMatchObject({ currency: 'JPY', amount: 1200, display: '￥1,200' });
    expect(r.body.plans[0].name).toBe('スターター');
  });

  it('localizes a problem title by Accept-Language; the code never changes, and no locale keeps English', async () => {
    const english = errorCatalogue().get('enrollment_not_found')!.title;
    const ja = await call(t.app, 'GET', '/v1/enrollments/enr_nope', undefined, { 'accept-language': 'ja' });
    expect(ja.status).toBe(404);
    expect(ja.headers['content-type']).toContain('application/problem+json');
    expect(ja.body).toMatchObject({ code: 'enrollment_not_found', status: 404, title: '該当する登録がありません' });
    expect(ja.headers['content-language']).toBe('ja');
    const plain = await call(t.app, 'GET', '/v1/enrollments/enr_nope');
    expect(plain.body).toMatchObject({ code: 'enrollment_not_found', title: english });
    expect(plain.headers['content-language']).toBeUndefined();
    // An unserved language falls back to English; validation problems keep their field codes.
    const sv = await call(t.app, 'GET', '/v1/enrollments/enr_nope', undefined, { 'accept-language': 'sv-SE' });
    expect(sv.body.title).toBe(english);
    const ar = await call(t.app, 'PUT', '/v1/enrollments/enr_nope/plan', { plan_id: 'pro' }, { 'accept-language': 'ar' });
    expect(ar.status).toBe(422);
    expect(ar.body).toMatchObject({ code: 'request_validation_failed', fields: { interval: expect.any(Array) } });
    expect(ar.body.title).toMatch(/[\u0600-\u06FF]/);
    expect(ar.body.title).not.toBe(errorCatalogue().get('request_validation_failed')!.title);
  });

  it('an enrollment started with a country and no currency takes the country\'s currency; an explicit one wins', async () => {
    expect((await call(t.app, 'POST', '/v1/enrollments', { country: 'JP' })).body.currency).toBe('JPY');
    expect((await call(t.app, 'POST', '/v1/enrollments', { country: 'kw' })).body.currency).toBe('KWD');
    expect((await call(t.app, 'POST', '/v1/enrollments', { country: 'JP', currency: 'usd' })).body.currency).toBe('USD');
    expect((await call(t.app, 'POST', '/v1/enrollments', {})).body.currency).toBeNull();
  });

  it('sends Arabic email right-to-left, with the code left-to-right', async () => {
    const email = 'rtl@example.com';
    await verified(email, { locale: 'ar' }, 'EG');
    const [mail] = await mailbox(email);
    expect(mail.subject).toBe('رمز التحقق الخاص بك في Enroll');
    expect(mail.html).toContain('<html lang="ar" dir="rtl">');
    expect(mail.html).toMatch(/dir="ltr">\d{6}</);
    expect(mail.text).toMatch(/^أدخل هذا الرمز/);
    expect(mail.text).toContain('10 دقائق');
  });

  it('sends the Japanese welcome email with yen and the due date formatted by Intl', async () => {
    const email = 'ja-welcome@example.com';
    const { id, start } = await verified(email, {}, 'JP');
    expect(start).toMatchObject({ locale: 'en', currency: null });
    // Locale from Accept-Language at the start of a second flow: the one we complete.
    const s = await call(t.app, 'POST', '/v1/enrollments', { country: 'JP' }, { 'accept-language': 'ja-JP' });
    expect(s.body).toMatchObject({ locale: 'ja-JP', currency: 'JPY' });
    const jid = s.body.id as string;
    const jaEmail = 'ja-owner@example.com';
    expect((await call(t.app, 'PUT', `/v1/enrollments/${jid}/profile`, profile(jaEmail, { country: 'JP', given_name: '花子', family_name: '山田' }))).status).toBe(200);
    expect((await call(t.app, 'POST', `/v1/enrollments/${jid}/verification`, { channel: 'email' })).status).toBe(202);
    const [code] = await mailbox(jaEmail);
    expect(code.subject).toBe('Enroll の確認コード');
    expect((await call(t.app, 'POST', `/v1/enrollments/${jid}/verification/confirm`, { code: await readCode(t.app, t.deps, jaEmail) })).status).toBe(200);
    const plan = await call(t.app, 'PUT', `/v1/enrollments/${jid}/plan`, { plan_id: 'starter', interval: 'month', currency: 'JPY' });
    expect(plan.status).toBe(200);
    expect(plan.body.quote.lines[0].description).toBe('スターター');
    expect(plan.body.quote.display.amount).toBe('￥1,200');
    expect((await call(t.app, 'PUT', `/v1/enrollments/${jid}/payment-method`, { token: await tokenize(t.app) })).status).toBe(200);
    const done = await call(t.app, 'POST', `/v1/enrollments/${jid}/complete`);
    expect(done.status).toBe(200);
    const welcome = (await mailbox(jaEmail)).at(-1)!;
    expect(welcome.subject).toBe('花子 様、Enroll へようこそ');
    expect(welcome.text).toContain('スターター');
    expect(welcome.text).toContain('￥1,200');
    expect(welcome.text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    expect(welcome.html).toContain('<html lang="ja">');
    expect(id).toMatch(/^enr_/);
  });
});
