import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { freshCard, freshIp, riskClient, riskOf } from './helpers/risk.js';

const WINDOW_S = 600;

describe('velocity over sliding windows (2 other enrollments within 10 minutes)', () => {
  let t: TestApp;
  let c: ReturnType<typeof riskClient>;
  const clock = createManualClock();
  beforeAll(async () => {
    t = await createTestApp({ RISK_SCORES: '', RISK_VELOCITY: `ip:2/${WINDOW_S},email:2/${WINDOW_S},device:2/${WINDOW_S},card:2/${WINDOW_S}` }, { clock });
    c = riskClient(t, clock);
  });
  afterAll(() => t.close());

  let n = 0;
  const codesOf = async (id: string) => (await riskOf(t, id)).codes;

  it('per IP: the third enrollment from one IP fires velocity_ip; once the first leaves the window, it no longer does', async () => {
    const ip = freshIp();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await c.profile(`ip-${n++}@example.com`, { ip })).id); // each 10 s after the last
    expect(await Promise.all(ids.map(codesOf))).toEqual([[], [], ['velocity_ip']]);
    // Another IP is not affected.
    expect(await codesOf((await c.profile(`ip-${n++}@example.com`, { ip: freshIp() })).id)).toEqual([]);
    // The three profiles were at t=10, 20 and 30 s; it is t=40 now, and the next profile lands 10 s after its start.
    // At t=615 the window is (15 s, 615 s]: the first has left it, the other two are still inside.
    clock.advance(565_000);
    expect(await codesOf((await c.profile(`ip-${n++}@example.com`, { ip })).id)).toEqual(['velocity_ip']); // 2 of 3 still inside
    clock.advance(WINDOW_S * 1000);
    expect(await codesOf((await c.profile(`ip-${n++}@example.com`, { ip })).id)).toEqual([]);
  });

  it('per email: the same inbox (tags do not help), from different IPs', async () => {
    const local = `same-${n++}`;
    const ids: string[] = [];
    for (const tag of ['', '+a', '+b']) ids.push((await c.profile(`${local}${tag}@example.com`, { ip: freshIp() })).id);
    expect(await Promise.all(ids.map(codesOf))).toEqual([[], [], ['velocity_email']]);
  });

  it('per device: X-Device-Id, from different IPs and addresses; a malformed id is ignored', async () => {
    const device = { 'x-device-id': `dev-${n++}-0123456789` };
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await c.profile(`device-${n++}@example.com`, { ip: freshIp(), headers: device })).id);
    expect(await Promise.all(ids.map(codesOf))).toEqual([[], [], ['velocity_device']]);
    const bad = { 'x-device-id': 'x' }; // too short to be an id: treated as absent
    for (let i = 0; i < 3; i++) await c.profile(`bad-device-${n++}@example.com`, { ip: freshIp(), headers: bad });
    expect(await codesOf((await c.profile(`bad-device-${n++}@example.com`, { ip: freshIp(), headers: bad })).id)).toEqual([]);
  });

  it('per card fingerprint: a card attached to two other enrollments fires velocity_card at completion', async () => {
    const card = freshCard();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ip = freshIp();
      const mail = `card-${n++}@example.com`;
      const { id } = await c.profile(mail, { ip });
      await c.toPayment(id, mail, { ip, card });
      ids.push(id);
    }
    // Attached, never completed: the card still counts for the next enrollment.
    const last = ids[2];
    const res = await c.complete(last, { ip: freshIp() });
    expect(res.status).toBe(409); // 40: a challenge
    expect(res.body.code).toBe('risk_second_factor_required');
    expect(await codesOf(last)).toEqual(['velocity_card']);
    expect((await riskOf(t, last)).assessed.at(-1)).toMatchObject({ stage: 'payment', decision: 'challenge', reasons: [{ code: 'velocity_card', score: 40 }] });
  });

  it('a denied attempt still counts: the refused caller cannot reset the count by being refused', async () => {
    const ip = freshIp();
    const t2 = await createTestApp({ RISK_SCORES: '', RISK_VELOCITY: `ip:1/${WINDOW_S}`, RISK_BLOCKLIST: 'denied@example.com' }, { clock });
    try {
      const c2 = riskClient(t2, clock);
      expect((await c2.profile('denied@example.com', { ip })).res.body.code).toBe('risk_denied');
      const next = await c2.profile(`after-deny-${n++}@example.com`, { ip });
      expect((await riskOf(t2, next.id)).codes).toEqual(['velocity_ip']);
    } finally {
      await t2.close();
    }
  });

  it('signals are stored as keyed hashes, never the IP, address or device id', async () => {
    const ip = '192.0.2.77';
    const device = 'device-visible-0123456789';
    const { id } = await c.profile('plain-signal@example.com', { ip, headers: { 'x-device-id': device } });
    const dump = JSON.stringify((await t.db.query('SELECT * FROM risk_signals')).rows);
    for (const plain of [ip, device, 'plain-signal@example.com']) expect(dump).not.toContain(plain);
    expect(dump).toMatch(/"kind":"device"/);
    // Nor do the audit rows or the stored decision carry them.
    const audit = JSON.stringify((await t.db.query('SELECT * FROM audit_events WHERE subject_id = $1', [id])).rows);
    const stored = JSON.stringify((await riskOf(t, id)).risk);
    for (const plain of [ip, device, 'plain-signal']) expect(audit + stored).not.toContain(plain);
    expect(audit).toContain('risk.assessed');
  });
});
