import { describe, expect, it } from 'vitest';
import { isDisposableEmail } from './disposable.js';
import { emailRiskKey } from './email-key.js';
import { listed, parseList } from './policy.js';
import { createProxyTrust } from './client-signals.js';

describe('manual lists', () => {
  const list = parseList(['anna@example.com', '@fraud.example', 'spam.example', '203.0.113.7', '198.51.100.0/24', '2001:db8::/32'], 'TEST');

  it('matches exact emails, domains with their subdomains, IPs and CIDRs (v4 and v6)', () => {
    expect(listed(list, { email: 'anna@example.com' })).toBe(true);
    expect(listed(list, { email: 'bob@example.com' })).toBe(false);
    expect(listed(list, { email: 'anna+again@example.com' })).toBe(true); // the same inbox
    expect(listed(list, { email: 'x@fraud.example' })).toBe(true);
    expect(listed(list, { email: 'x@mx.spam.example' })).toBe(true);
    expect(listed(list, { email: 'x@notspam.example' })).toBe(false);
    expect(listed(list, { ip: '203.0.113.7' })).toBe(true);
    expect(listed(list, { ip: '203.0.113.8' })).toBe(false);
    expect(listed(list, { ip: '198.51.100.200' })).toBe(true);
    expect(listed(list, { ip: '2001:db8::1' })).toBe(true);
    expect(listed(list, { email: null, ip: null })).toBe(false);
  });

  it('refuses an entry it cannot read', () => {
    expect(() => parseList(['not an entry'], 'RISK_BLOCKLIST')).toThrow(/RISK_BLOCKLIST/);
  });
});

describe('disposable email domains', () => {
  it('knows listed domains and the subdomains of wildcard roots, not ordinary ones', () => {
    expect(isDisposableEmail('a@mailinator.com')).toBe(true);
    expect(isDisposableEmail('a@anything.33mail.com')).toBe(true);
    expect(isDisposableEmail('a@example.com')).toBe(false);
    expect(isDisposableEmail('a@gmail.com')).toBe(false);
  });
});

describe('email risk key', () => {
  it('drops +tags everywhere and dots at Gmail, so one inbox is one person', () => {
    expect(emailRiskKey('anna+trial7@example.com')).toBe('anna@example.com');
    expect(emailRiskKey('a.n.n.a+x@googlemail.com')).toBe('anna@gmail.com');
    expect(emailRiskKey('a.nna@example.com')).toBe('a.nna@example.com');
  });
});

describe('trusted proxies', () => {
  it('trusts only configured peers, also as IPv4-mapped IPv6; nothing when none is configured', () => {
    const trust = createProxyTrust(['10.0.0.0/8', '192.0.2.1']);
    expect(trust('10.1.2.3')).toBe(true);
    expect(trust('::ffff:10.1.2.3')).toBe(true);
    expect(trust('192.0.2.1')).toBe(true);
    expect(trust('192.0.2.2')).toBe(false);
    expect(createProxyTrust([])('127.0.0.1')).toBe(false);
    expect(() => createProxyTrust(['proxy.local'])).toThrow(/TRUSTED_PROXIES/);
  });
});

describe('risk configuration from the environment', () => {
  it('reads scores, thresholds, velocity, lists and trusted proxies into the policy', async () => {
    const { loadConfig } = await import('../config/index.js');
    const { loadRiskPolicy } = await import('./policy.js');
    const config = loadConfig({
      RISK_SCORES: 'email_disposable:60, velocity_ip:0', RISK_CHALLENGE_AT: '25', RISK_VELOCITY: 'card:5/600',
      RISK_BLOCKLIST: '@fraud.example', TRUSTED_PROXIES: '10.0.0.1', IP_COUNTRY_HEADER: 'X-Geo',
    });
    expect(config.trustedProxies).toEqual(['10.0.0.1']);
    expect(config.ipCountryHeader).toBe('x-geo');
    const policy = loadRiskPolicy(config.risk);
    expect(policy.scores).toMatchObject({ email_disposable: 60, velocity_ip: 0, bot_headless_ua: 50 });
    expect(policy.thresholds).toEqual({ challenge: 25, review: 60, deny: 90 });
    expect(policy.velocity).toMatchObject({ card: { max: 5, windowSeconds: 600 }, ip: { max: 10, windowSeconds: 3600 } });
  });

  it.each([
    [{ RISK_SCORES: 'email_disposable' }],
    [{ RISK_SCORES: 'email_disposable:-5' }],
    [{ RISK_VELOCITY: 'ip:0/60' }],
    [{ RISK_VELOCITY: 'ip:10' }],
    [{ RISK_CHALLENGE_AT: '70', RISK_REVIEW_AT: '60' }],
  ])('refuses nonsense: %j', async (env) => {
    const { loadConfig } = await import('../config/index.js');
    expect(() => loadConfig(env)).toThrow();
  });
});
