import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/kernel/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { freshIp, riskClient, riskOf } from './helpers/risk.js';

const PROXY = '10.0.0.1';
const BLOCKED = '203.0.113.9';
const GERMAN_PHONE = '+4915123458000';

describe('IP and IP country come from a proxy only when it is a trusted one', () => {
  let t: TestApp;
  let c: ReturnType<typeof riskClient>;
  const clock = createManualClock();
  beforeAll(async () => {
    t = await createTestApp({ RISK_SCORES: '', TRUSTED_PROXIES: `${PROXY},10.1.0.0/16`, RISK_BLOCKLIST: BLOCKED }, { clock });
    c = riskClient(t, clock);
  });
  afterAll(() => t.close());

  let n = 0;
  const via = (country: string, forwardedFor: string) => ({ 'cf-ipcountry': country, 'x-forwarded-for': forwardedFor });

  it('from an untrusted peer, CF-IPCountry and X-Forwarded-For are ignored', async () => {
    const { id, res } = await c.profile(`direct-${n++}@example.com`, { ip: freshIp(), headers: via('FR', BLOCKED), phone: GERMAN_PHONE });
    expect(res.status).toBe(200); // not taken for the blocklisted address it claims to forward
    const r = await riskOf(t, id);
    expect(r.codes).toEqual([]);
    expect(r.risk.ip_country).toBeNull();
  });

  it('through a trusted proxy, the header is the IP country: a French IP with a German phone is a mismatch', async () => {
    const { id } = await c.profile(`proxied-${n++}@example.com`, { ip: PROXY, headers: via('FR', freshIp()), phone: GERMAN_PHONE });
    const r = await riskOf(t, id);
    expect(r.codes).toEqual(['country_mismatch_ip_phone']);
    expect(r.risk.ip_country).toBe('FR');
  });

  it('a trusted subnet counts as well; a matching country gives no reason; XX (unknown) is not a country', async () => {
    expect((await riskOf(t, (await c.profile(`subnet-${n++}@example.com`, { ip: '10.1.2.3', headers: via('FR', freshIp()), phone: GERMAN_PHONE })).id)).codes)
      .toEqual(['country_mismatch_ip_phone']);
    expect((await riskOf(t, (await c.profile(`same-${n++}@example.com`, { ip: PROXY, headers: via('DE', freshIp()), phone: GERMAN_PHONE })).id)).codes).toEqual([]);
    const unknown = await riskOf(t, (await c.profile(`xx-${n++}@example.com`, { ip: PROXY, headers: via('XX', freshIp()), phone: GERMAN_PHONE })).id);
    expect(unknown.codes).toEqual([]);
    expect(unknown.risk.ip_country).toBeNull();
  });

  it('through a trusted proxy, the forwarded client IP is the one screened (blocklist)', async () => {
    const { res } = await c.profile(`blocked-ip-${n++}@example.com`, { ip: PROXY, headers: via('DE', BLOCKED) });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('risk_denied');
  });

  it('the IP country is compared with the card country at completion (French IP, US card)', async () => {
    const client = freshIp();
    const mail = `ip-card-${n++}@example.com`;
    const { id } = await c.profile(mail, { ip: PROXY, headers: via('FR', client) });
    await c.toPayment(id, mail, { ip: freshIp() });
    expect((await c.complete(id, { ip: freshIp() })).status).toBe(200); // 20: noted, still allowed
    expect((await riskOf(t, id)).codes).toEqual(['country_mismatch_ip_card']);
  });

  it('without TRUSTED_PROXIES nobody is trusted, loopback included; the header name is configurable', async () => {
    const plain = await createTestApp({ RISK_SCORES: '', IP_COUNTRY_HEADER: 'X-Geo-Country' }, { clock });
    try {
      const p = riskClient(plain, clock);
      const { id } = await p.profile(`noproxy-${n++}@example.com`, { ip: '127.0.0.1', headers: { 'x-geo-country': 'FR' }, phone: GERMAN_PHONE });
      expect((await riskOf(plain, id)).risk.ip_country).toBeNull();
    } finally {
      await plain.close();
    }
    const custom = await createTestApp({ RISK_SCORES: '', TRUSTED_PROXIES: PROXY, IP_COUNTRY_HEADER: 'X-Geo-Country' }, { clock });
    try {
      const p = riskClient(custom, clock);
      const { id } = await p.profile(`geo-${n++}@example.com`, { ip: PROXY, headers: { 'x-geo-country': 'fr', 'cf-ipcountry': 'DE' }, phone: GERMAN_PHONE });
      const r = await riskOf(custom, id);
      expect(r.risk.ip_country).toBe('FR');
      expect(r.codes).toEqual(['country_mismatch_ip_phone']);
    } finally {
      await custom.close();
    }
  });
});
