import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './index.js';

const PROD = { NODE_ENV: 'production', APP_SECRET: 'a'.repeat(32), GATEWAY_SECRET: 'g'.repeat(32), SMTP_URL: 'smtp://mail.example.com:587', PII_MASTER_KEYS: `1:${'p'.repeat(32)}` };

describe('loadConfig refuses settings that would be dangerous or broken at run time', () => {
  it('reads fault injection and Stripe endpoints outside production', () => {
    const c = loadConfig({ GATEWAY_FAULTS: 'error=0.05,lost=0.02', STRIPE_SECRET_KEY: 'sk_test_abc123', STRIPE_API_BASE: 'http://127.0.0.1:12111' });
    expect(c.gatewayFaults).toMatchObject({ errorRate: 0.05, lostRate: 0.02 });
    expect(c.stripe).toEqual({ secretKey: 'sk_test_abc123', host: '127.0.0.1', port: 12111, protocol: 'http' });
  });

  it('never injects gateway faults in production, and never sends the Stripe key over plain HTTP', () => {
    expect(() => loadConfig({ ...PROD, GATEWAY_FAULTS: 'error=0.05' })).toThrow(/GATEWAY_FAULTS/);
    expect(() => loadConfig({ ...PROD, STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_API_BASE: 'http://stripe.internal' })).toThrow(/STRIPE_API_BASE/);
    expect(loadConfig({ ...PROD, STRIPE_SECRET_KEY: 'sk_live_abc' }).stripe).toEqual({ secretKey: 'sk_live_abc' });
  });

  it('refuses an IP address as WebAuthn RP ID, and an origin outside the RP ID', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3000' })).toThrow(/WEBAUTHN_RP_ID/);
    expect(() => loadConfig({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://evil.test' })).toThrow(/not within the RP ID/);
    expect(loadConfig({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://app.example.com' }).webauthn).toMatchObject({ rpId: 'example.com', origins: ['https://app.example.com'] });
  });

  it('refuses a malformed fault spec and a key that is not a Stripe secret key', () => {
    expect(() => loadConfig({ GATEWAY_FAULTS: 'error=5%' })).toThrow(/GATEWAY_FAULTS/);
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'pk_test_publishable' })).toThrow();
  });
});

describe('dispute thresholds are per currency', () => {
  it('defaults to a pair of thresholds for every currency the plan catalogue prices in', () => {
    const { disputes } = loadConfig({});
    const catalogue = JSON.parse(readFileSync(new URL('../../config/catalog.json', import.meta.url), 'utf8')) as { currencies: string[] };
    for (const c of catalogue.currencies) {
      expect(disputes.escalateAt[c], c).toBeGreaterThan(0);
      expect(disputes.acceptBelow[c], c).toBeLessThan(disputes.escalateAt[c]!);
    }
    expect(disputes.escalateAt).toMatchObject({ EUR: 50_000, JPY: 75_000 });
  });

  it('reads CUR:amount lists as the whole map, and treats an empty value as unset', () => {
    const c = loadConfig({ DISPUTE_ESCALATE_AT: 'EUR:10000, JPY:15000', DISPUTE_ACCEPT_BELOW: 'EUR:500,JPY:800' });
    expect(c.disputes).toEqual({ escalateAt: { EUR: 10_000, JPY: 15_000 }, acceptBelow: { EUR: 500, JPY: 800 } });
    expect(loadConfig({ DISPUTE_ESCALATE_AT: '', DISPUTE_ACCEPT_BELOW: '' }).disputes).toEqual(loadConfig({}).disputes);
  });

  it('refuses a bare amount (which currency?), unknown codes, half a setting, and an accept bound over the escalation one', () => {
    expect(() => loadConfig({ DISPUTE_ESCALATE_AT: '50000' })).toThrow(/per currency/);
    expect(() => loadConfig({ DISPUTE_ESCALATE_AT: 'EUD:50000', DISPUTE_ACCEPT_BELOW: 'EUD:1000' })).toThrow(/CUR:amount/);
    expect(() => loadConfig({ DISPUTE_ESCALATE_AT: 'eur:50000', DISPUTE_ACCEPT_BELOW: 'eur:1000' })).toThrow(/CUR:amount/);
    expect(() => loadConfig({ DISPUTE_ESCALATE_AT: 'EUR:50000,JPY:75000', DISPUTE_ACCEPT_BELOW: 'EUR:1000' })).toThrow(/same currencies/);
    expect(() => loadConfig({ DISPUTE_ESCALATE_AT: 'EUR:0', DISPUTE_ACCEPT_BELOW: 'EUR:0' })).toThrow(/above 0/);
    expect(() => loadConfig({ DISPUTE_ESCALATE_AT: 'EUR:1000', DISPUTE_ACCEPT_BELOW: 'EUR:1001' })).toThrow(/must not exceed/);
  });
});

describe('DATABASE_POOL_MAX', () => {
  it('defaults to 10 connections and takes a positive integer', () => {
    expect(loadConfig({}).databasePoolMax).toBe(10);
    expect(loadConfig({ DATABASE_POOL_MAX: '6' }).databasePoolMax).toBe(6);
    for (const bad of ['0', '-1', '2.5', 'many', '1001']) expect(() => loadConfig({ DATABASE_POOL_MAX: bad }), bad).toThrow(/DATABASE_POOL_MAX/);
  });
});
