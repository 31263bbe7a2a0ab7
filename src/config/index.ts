import { fileURLToPath } from 'node:url';
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseGatewayFaults, type GatewayFaults } from '../payments/adapters/faulty.js';
import { DEFAULT_CHALLENGE_TTL_MINUTES } from '../payments/gateway.js';

/**
 * The environment, parsed once into a frozen Config. Every default works with
 * no other software installed: embedded PGlite, dev mailbox, sandbox gateway.
 */
const partnerKeys = z
  .string()
  .default('')
  .transform((s) =>
    s.split(',').map((p) => p.trim()).filter(Boolean).map((pair) => {
      const i = pair.indexOf(':');
      if (i < 1) throw new Error('PARTNER_API_KEYS entries look like partner_id:key');
      return { partnerId: pair.slice(0, i), key: pair.slice(i + 1) };
    }),
  );

/** `version:secret,…` → master keys for the PII vault; the highest version wraps, all unwrap. */
const masterKeys = z
  .string()
  .default('')
  .transform((s) =>
    s.split(',').map((p) => p.trim()).filter(Boolean).map((pair) => {
      const m = /^(\d+):(.{16,})$/.exec(pair);
      if (!m) throw new Error('PII_MASTER_KEYS entries look like version:secret (secret at least 16 characters)');
      return { version: Number(m[1]), secret: m[2]! };
    }),
  );

/** `a,b , c` → ['a','b','c'] */
const splitList = (s: string) => s.split(',').map((p) => p.trim()).filter(Boolean);
const list = z.string().default('').transform(splitList);

/** A comma list of `name:value` entries → { name: value }, each entry read by `parse` (which throws on nonsense). */
const entries = <V>(parse: (entry: string) => [string, V]) =>
  z.string().default('').transform((s) => Object.fromEntries(splitList(s).map(parse)) as Record<string, V>);

/** `code:number,…` → { code: number }; the risk module checks the codes at boot. */
const numbersByName = entries((pair) => {
  const m = /^([a-z_]+):(\d+)$/.exec(pair);
  if (!m) throw new Error(`RISK_SCORES entries look like rule:score, got "${pair}"`);
  return [m[1], Number(m[2])];
});

/** `ip:10/3600,…` → { ip: { max: 10, windowSeconds: 3600 } } */
const velocityLimits = entries((pair) => {
  const m = /^([a-z]+):(\d+)\/(\d+)$/.exec(pair);
  // A limit of 0 would fire on every enrollment: turn a rule off with RISK_SCORES (velocity_ip:0) instead.
  if (!m || Number(m[2]) === 0 || Number(m[3]) === 0) throw new Error(`RISK_VELOCITY entries look like ip:10/3600 (both > 0), got "${pair}"`);
  return [m[1], { max: Number(m[2]), windowSeconds: Number(m[3]) }];
});

/**
 * Dispute thresholds, per currency in its own minor units (¥50,000 is not 50,000 cents). Each default is about
 * €500 (escalate) and €10 (accept), scaled like the catalogue's own prices, for every currency it prices in.
 */
export const DEFAULT_DISPUTE_ESCALATE_AT = 'EUR:50000,USD:55000,GBP:43000,JPY:75000,INR:4500000,BRL:250000,KWD:165000';
export const DEFAULT_DISPUTE_ACCEPT_BELOW = 'EUR:1000,USD:1100,GBP:900,JPY:1500,INR:90000,BRL:5000,KWD:3300';
const isoCurrencies = new Set(Intl.supportedValuesOf('currency'));

/**
 * `EUR:50000,JPY:75000` → { EUR: 50000, JPY: 75000 }. What is written is the whole map: a currency left out has
 * no threshold (its disputes go to a person). A bare number is refused: it used to mean "any currency", which is
 * exactly the mistake, and guessing a currency for it would silently change what it meant.
 */
const amountsByCurrency = (name: string, fallback: string) =>
  z
    .string()
    .optional()
    .transform((s) => Object.fromEntries(splitList(s || fallback).map((pair) => {
      if (/^\d+$/.test(pair)) throw new Error(`${name} is per currency now, in minor units: e.g. ${name}=${fallback.split(',').slice(0, 2).join(',')} (a bare amount is refused)`);
      const m = /^([A-Z]{3}):(\d+)$/.exec(pair);
      if (!m || !isoCurrencies.has(m[1]!)) throw new Error(`${name} entries look like CUR:amount (ISO 4217 code, minor units), got "${pair}"`);
      return [m[1]!, Number(m[2])];
    })) as Record<string, number>);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  // The built web app; the default is the repository's web/dist wherever the process was started from.
  WEB_DIR: z.string().default(fileURLToPath(new URL('../../web/dist', import.meta.url))),
  DATABASE_URL: z.string().optional(),
  /**
   * Connections in the PostgreSQL pool. 10, pg's own default: on the 2-core machines the load bench runs on, 20 backends
   * cost PostgreSQL about 15 % more CPU per enrollment than 10 and completed fewer enrollments (bench/README.md).
   */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  /** The role the app switches to in every transaction; row-level security binds it. Start-up refuses a superuser or BYPASSRLS role. */
  DB_APP_ROLE: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('enroll_app'),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Enroll <no-reply@enroll.localhost>'),
  /** SMS through Twilio when SID, token and sender are all set; otherwise the dev mailbox (dev mode) or no SMS. */
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM: z.string().optional(),
  TWILIO_BASE_URL: z.string().url().optional(),
  /** Stripe instead of the embedded sandbox gateway; STRIPE_API_BASE points the SDK elsewhere (tests: a loopback fake). */
  STRIPE_SECRET_KEY: z.string().regex(/^sk_(test|live)_\w+$/, 'must be a Stripe secret key (sk_test_… or sk_live_…)').optional(),
  STRIPE_API_BASE: z.string().url().optional(),
  /** The embedded sandbox gateway's own listener (its hosted card fields and 3-D Secure pages), on another origin than the app's. */
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /** Where browsers reach that listener; default http://localhost:GATEWAY_PORT. */
  GATEWAY_PUBLIC_URL: z.string().url().optional(),
  /** Fault injection into the sandbox gateway, for reliability tests: `latency=50ms@0.1,error=0.05,drop=0.01,lost=0.02`. */
  GATEWAY_FAULTS: z.string().default(''),
  /** How long a customer has to answer a 3-D Secure challenge (Stripe keeps requires_action open; we bound it, as a checkout session does). */
  PAYMENT_CHALLENGE_TTL_MINUTES: z.coerce.number().int().positive().default(DEFAULT_CHALLENGE_TTL_MINUTES),
  /** What a trial becomes when its first charge is declined: past_due (keep access while dunning), pause, or cancel. */
  TRIAL_END_BEHAVIOUR: z.enum(['past_due', 'pause', 'cancel']).default('past_due'),
  /** Dunning: retry days after a failed renewal, by decline class, and what happens after the last one. */
  DUNNING_SOFT_RETRY_DAYS: z.string().default('1,3,5,7').transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean).map(Number)).refine((ds) => ds.every((x, i) => Number.isInteger(x) && x > 0 && (i === 0 || x > ds[i - 1]!)), 'increasing whole days, e.g. 1,3,5,7'),
  DUNNING_HARD_RETRY_DAYS: z.string().default('7').transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean).map(Number)).refine((ds) => ds.every((x, i) => Number.isInteger(x) && x > 0 && (i === 0 || x > ds[i - 1]!)), 'increasing whole days, e.g. 1,3,5,7'),
  DUNNING_FINAL_ACTION: z.enum(['cancel', 'pause']).default('cancel'),
  /** Disputes (rules responder), per currency in minor units: at or above ESCALATE_AT a person decides; below ACCEPT_BELOW, weak evidence is conceded. */
  DISPUTE_ESCALATE_AT: amountsByCurrency('DISPUTE_ESCALATE_AT', DEFAULT_DISPUTE_ESCALATE_AT),
  DISPUTE_ACCEPT_BELOW: amountsByCurrency('DISPUTE_ACCEPT_BELOW', DEFAULT_DISPUTE_ACCEPT_BELOW),
  /** Signing secret of the Stripe webhook endpoint (whsec_…); POST /v1/webhooks/stripe exists only when it is set. */
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\w+$/, 'must be a Stripe webhook signing secret (whsec_…)').optional(),
  ADMIN_API_KEY: z.string().optional(),
  PARTNER_API_KEYS: partnerKeys,
  /** Root secret for HMAC keys (codes, links) and sealing; derived per purpose. */
  APP_SECRET: z.string().min(16).optional(),
  /** PII vault master keys, `version:secret,…`: the highest version wraps new data keys, every listed one unwraps (rotation). */
  PII_MASTER_KEYS: masterKeys,
  /** The gateway's own key: only gateway-sandbox derives from it. */
  GATEWAY_SECRET: z.string().min(16).optional(),
  /** WebAuthn relying party: a registrable domain (never an IP) and the exact origin(s) pages are served from. Default: PUBLIC_URL's. */
  WEBAUTHN_RP_ID: z.string().optional(),
  WEBAUTHN_RP_NAME: z.string().default('Enroll'),
  WEBAUTHN_ORIGINS: z.string().optional(),
  LOG_LEVEL: z.string().default('info'),
  ENROLLMENT_TTL_MINUTES: z.coerce.number().int().positive().default(24 * 60),
  QUOTE_TTL_MINUTES: z.coerce.number().int().positive().default(30),
  WORKER: z.enum(['on', 'off']).default('on'),
  /** Per client IP, over the unauthenticated routes that cost us or a third party (0 turns it off, e.g. for load tests). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(120),
  /** Per enrollment id, over its write routes: one flow needs about ten calls, a bot hammering one id needs many (0 = off). */
  RATE_LIMIT_ENROLLMENT_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  /** Per partner (resolved from its Bearer key) on the partner channel (0 = off). */
  RATE_LIMIT_PARTNER_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  /** A shared rate-limit store for several API processes; without it the counters live in this process. */
  REDIS_URL: z.string().url().optional(),
  /** Prefix of the rate-limit keys in Redis, so several deployments (or test runs) can share one server. */
  RATE_LIMIT_KEY_PREFIX: z.string().regex(/^[\w:.-]{1,64}$/).default('enroll:rl:'),
  /** ISO 3166 alpha-2 countries whose numbers may receive SMS codes, comma-separated; empty = any (SMS pumping defence). */
  SMS_ALLOWED_COUNTRIES: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean))
    .refine((cs) => cs.every((c) => /^[A-Z]{2}$/.test(c)), 'SMS_ALLOWED_COUNTRIES holds ISO 3166 alpha-2 codes'),
  /**
   * Peers whose X-Forwarded-For and IP-country header are believed (IPs or CIDRs). Empty: the socket's address is
   * the client, and no country header is trusted.
   */
  TRUSTED_PROXIES: list,
  /** The header a trusted proxy puts the client's country in (Cloudflare: CF-IPCountry). */
  IP_COUNTRY_HEADER: z.string().regex(/^[A-Za-z0-9-]+$/).default('cf-ipcountry').transform((h) => h.toLowerCase()),
  /** Risk: per-rule score overrides (`email_disposable:60,velocity_ip:0`; 0 turns a rule off) and the thresholds. */
  RISK_SCORES: numbersByName,
  RISK_CHALLENGE_AT: z.coerce.number().int().positive().default(30),
  RISK_REVIEW_AT: z.coerce.number().int().positive().default(60),
  RISK_DENY_AT: z.coerce.number().int().positive().default(90),
  /** Velocity limits per signal: `ip:10/3600` = a rule fires once 10 other enrollments used this IP in the last hour. */
  RISK_VELOCITY: velocityLimits,
  /** A profile submitted sooner than this after the enrollment started was not typed by a human. */
  RISK_MIN_FORM_SECONDS: z.coerce.number().min(0).default(3),
  /** Manual lists: emails (`anna@example.com`), domains (`@example.com`), IPs or CIDRs. */
  RISK_ALLOWLIST: list,
  RISK_BLOCKLIST: list,
  /** Retention: days after which an enrollment that never completed is purged with its personal data. */
  RETENTION_UNFINISHED_DAYS: z.coerce.number().int().positive().default(30),
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  devMode: boolean;
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  webDir: string;
  databaseUrl?: string;
  databasePoolMax: number;
  dbAppRole: string;
  smtpUrl?: string;
  mailFrom: string;
  twilio?: { accountSid: string; authToken: string; from: string; baseUrl: string };
  adminApiKey?: string;
  partnerApiKeys: { partnerId: string; key: string }[];
  /** PII vault master keys by version (never empty: dev falls back to one derived from the dev APP_SECRET). */
  piiMasterKeys: { version: number; secret: string }[];
  appSecret: string;
  gatewaySecret: string;
  gatewayPort: number;
  /** The gateway's origin as browsers see it (GATEWAY_PUBLIC_URL); the hosted pages live there. */
  gatewayPublicUrl: string;
  /** The app's origins (PUBLIC_URL's plus WEBAUTHN_ORIGINS): the only parents the hosted pages talk to. */
  appOrigins: readonly string[];
  logLevel: string;
  enrollmentTtlMinutes: number;
  quoteTtlMinutes: number;
  worker: boolean;
  rateLimit: { perIpPerMinute: number; perEnrollmentPerMinute: number; perPartnerPerMinute: number; redisUrl?: string; keyPrefix: string };
  /** Empty: SMS to any country whose number is a mobile. */
  smsAllowedCountries: readonly string[];
  webauthn: { rpId: string; rpName: string; origins: string[] };
  stripe?: { secretKey: string; host?: string; port?: number; protocol?: 'http' | 'https' };
  gatewayFaults: GatewayFaults | null;
  /** A pending 3-D Secure challenge older than this is expired: no longer answerable, its payment not made. */
  paymentChallengeTtlMinutes: number;
  trialEndBehaviour: 'past_due' | 'paused' | 'canceled';
  dunning: { softRetryDays: number[]; hardRetryDays: number[]; finalAction: 'cancel' | 'pause' };
  /** Per currency, minor units; a currency in neither map has no threshold, and its disputes are escalated. */
  disputes: { escalateAt: Record<string, number>; acceptBelow: Record<string, number> };
  stripeWebhookSecret?: string;
  trustedProxies: string[];
  ipCountryHeader: string;
  retention: { unfinishedDays: number };
  risk: {
    scores: Record<string, number>;
    thresholds: { challenge: number; review: number; deny: number };
    velocity: Record<string, { max: number; windowSeconds: number }>;
    minFormSeconds: number;
    allowlist: string[];
    blocklist: string[];
  };
}>;

// Dev-only fallbacks: production refuses to start without real secrets.
const DEV_APP_SECRET = 'dev-only-app-secret-change-me';
const DEV_GATEWAY_SECRET = 'dev-only-gateway-secret-change-me';

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const e = schema.parse(env);
  const production = e.NODE_ENV === 'production';
  // Basic auth carries the Twilio token: never over plain HTTP outside dev and tests (where a loopback fake speaks it).
  // The secret key travels in every request: never over plain HTTP outside dev and tests.
  if (production && e.GATEWAY_FAULTS) throw new Error('GATEWAY_FAULTS is for tests and benchmarks, never production');
  if (production && e.STRIPE_API_BASE && !e.STRIPE_API_BASE.startsWith('https://')) throw new Error('STRIPE_API_BASE must be https:// when NODE_ENV=production');
  if (production && e.TWILIO_BASE_URL && !e.TWILIO_BASE_URL.startsWith('https://')) {
    throw new Error('TWILIO_BASE_URL must be https:// when NODE_ENV=production');
  }
  if (production && (!e.APP_SECRET || !e.GATEWAY_SECRET)) {
    throw new Error('APP_SECRET and GATEWAY_SECRET are required when NODE_ENV=production');
  }
  if (production && e.PII_MASTER_KEYS.length === 0) throw new Error('PII_MASTER_KEYS is required when NODE_ENV=production');
  const twilioVars = [e.TWILIO_ACCOUNT_SID, e.TWILIO_AUTH_TOKEN, e.TWILIO_FROM].filter(Boolean).length;
  // Half a configuration is a typo, not a choice: refuse it rather than silently fall back to no SMS.
  if (!(e.RISK_CHALLENGE_AT <= e.RISK_REVIEW_AT && e.RISK_REVIEW_AT <= e.RISK_DENY_AT)) {
    throw new Error('RISK_CHALLENGE_AT <= RISK_REVIEW_AT <= RISK_DENY_AT is required');
  }
  checkDisputeThresholds(e.DISPUTE_ESCALATE_AT, e.DISPUTE_ACCEPT_BELOW);
  if (twilioVars > 0 && twilioVars < 3) throw new Error('TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM are set together or not at all');
  return Object.freeze({
    env: e.NODE_ENV,
    devMode: !production,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    dataDir: e.DATA_DIR,
    webDir: e.WEB_DIR,
    databaseUrl: e.DATABASE_URL || undefined,
    databasePoolMax: e.DATABASE_POOL_MAX,
    dbAppRole: e.DB_APP_ROLE,
    smtpUrl: e.SMTP_URL || undefined,
    mailFrom: e.MAIL_FROM,
    twilio:
      twilioVars === 3
        ? { accountSid: e.TWILIO_ACCOUNT_SID!, authToken: e.TWILIO_AUTH_TOKEN!, from: e.TWILIO_FROM!, baseUrl: e.TWILIO_BASE_URL ?? 'https://api.twilio.com' }
        : undefined,
    adminApiKey: e.ADMIN_API_KEY || undefined,
    partnerApiKeys: e.PARTNER_API_KEYS,
    piiMasterKeys: e.PII_MASTER_KEYS.length > 0 ? e.PII_MASTER_KEYS : [{ version: 1, secret: `${e.APP_SECRET ?? DEV_APP_SECRET}:pii-master` }],
    appSecret: e.APP_SECRET ?? DEV_APP_SECRET,
    gatewaySecret: e.GATEWAY_SECRET ?? DEV_GATEWAY_SECRET,
    gatewayPort: e.GATEWAY_PORT,
    gatewayPublicUrl: new URL(e.GATEWAY_PUBLIC_URL ?? `http://localhost:${e.GATEWAY_PORT}`).origin,
    appOrigins: Object.freeze(appOrigins(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`, e.WEBAUTHN_ORIGINS)),
    logLevel: e.LOG_LEVEL,
    enrollmentTtlMinutes: e.ENROLLMENT_TTL_MINUTES,
    quoteTtlMinutes: e.QUOTE_TTL_MINUTES,
    worker: e.WORKER === 'on',
    rateLimit: {
      perIpPerMinute: e.RATE_LIMIT_PER_MINUTE,
      perEnrollmentPerMinute: e.RATE_LIMIT_ENROLLMENT_PER_MINUTE,
      perPartnerPerMinute: e.RATE_LIMIT_PARTNER_PER_MINUTE,
      redisUrl: e.REDIS_URL || undefined,
      keyPrefix: e.RATE_LIMIT_KEY_PREFIX,
    },
    smsAllowedCountries: Object.freeze(e.SMS_ALLOWED_COUNTRIES),
    gatewayFaults: parseGatewayFaults(e.GATEWAY_FAULTS),
    paymentChallengeTtlMinutes: e.PAYMENT_CHALLENGE_TTL_MINUTES,
    dunning: { softRetryDays: e.DUNNING_SOFT_RETRY_DAYS, hardRetryDays: e.DUNNING_HARD_RETRY_DAYS, finalAction: e.DUNNING_FINAL_ACTION },
    disputes: { escalateAt: e.DISPUTE_ESCALATE_AT, acceptBelow: e.DISPUTE_ACCEPT_BELOW },
    trialEndBehaviour: ({ past_due: 'past_due', pause: 'paused', cancel: 'canceled' } as const)[e.TRIAL_END_BEHAVIOUR],
    stripeWebhookSecret: e.STRIPE_WEBHOOK_SECRET,
    stripe: e.STRIPE_SECRET_KEY ? { secretKey: e.STRIPE_SECRET_KEY, ...stripeEndpoint(e.STRIPE_API_BASE) } : undefined,
    webauthn: webauthnConfig(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`, e.WEBAUTHN_RP_ID, e.WEBAUTHN_RP_NAME, e.WEBAUTHN_ORIGINS),
    trustedProxies: e.TRUSTED_PROXIES,
    ipCountryHeader: e.IP_COUNTRY_HEADER,
    retention: { unfinishedDays: e.RETENTION_UNFINISHED_DAYS },
    risk: {
      scores: e.RISK_SCORES,
      thresholds: { challenge: e.RISK_CHALLENGE_AT, review: e.RISK_REVIEW_AT, deny: e.RISK_DENY_AT },
      velocity: e.RISK_VELOCITY,
      minFormSeconds: e.RISK_MIN_FORM_SECONDS,
      allowlist: e.RISK_ALLOWLIST,
      blocklist: e.RISK_BLOCKLIST,
    },
  });
}

/** A currency in one map and not the other is half a setting (a typo, not a choice); an accept bound over the escalation one is nonsense. */
function checkDisputeThresholds(escalateAt: Record<string, number>, acceptBelow: Record<string, number>) {
  for (const c of new Set([...Object.keys(escalateAt), ...Object.keys(acceptBelow)])) {
    if (!(c in escalateAt) || !(c in acceptBelow)) throw new Error(`DISPUTE_ESCALATE_AT and DISPUTE_ACCEPT_BELOW must list the same currencies (${c} is in one only)`);
    if (escalateAt[c]! <= 0) throw new Error(`DISPUTE_ESCALATE_AT for ${c} must be above 0`);
    if (acceptBelow[c]! > escalateAt[c]!) throw new Error(`DISPUTE_ACCEPT_BELOW for ${c} must not exceed DISPUTE_ESCALATE_AT`);
  }
}

/** PUBLIC_URL's origin first, then WEBAUTHN_ORIGINS, each once. */
function appOrigins(publicUrl: string, more: string | undefined): string[] {
  const given = (more ?? '').split(',').map((o) => o.trim()).filter(Boolean).map((o) => new URL(o).origin);
  return [...new Set([new URL(publicUrl).origin, ...given])];
}

/**
 * Browsers refuse an IP address as an RP ID, so a config that names one would
 * fail every ceremony at run time: refuse it at start-up instead. The RP ID must
 * be the origin's host or a registrable suffix of it.
 */
function webauthnConfig(publicUrl: string, rpIdGiven: string | undefined, rpName: string, originsGiven: string | undefined) {
  const origins = (originsGiven ?? new URL(publicUrl).origin).split(',').map((o) => o.trim()).filter(Boolean).map((o) => new URL(o).origin);
  const rpId = rpIdGiven ?? new URL(origins[0]!).hostname;
  if (isIP(rpId) || rpId.startsWith('[')) throw new Error(`WEBAUTHN_RP_ID must be a domain name, not an IP address (got ${rpId}); use localhost in development`);
  for (const o of origins) {
    const host = new URL(o).hostname;
    if (host !== rpId && !host.endsWith(`.${rpId}`)) throw new Error(`WebAuthn origin ${o} is not within the RP ID ${rpId}`);
  }
  return { rpId, rpName, origins };
}

function stripeEndpoint(base: string | undefined) {
  if (!base) return {};
  const u = new URL(base);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return { host: u.hostname, port: u.port ? Number(u.port) : protocol === 'http' ? 80 : 443, protocol } as const;
}
