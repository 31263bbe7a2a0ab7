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
