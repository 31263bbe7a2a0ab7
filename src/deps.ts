import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config/index.js';
import { assertConfinedRole, createPgliteDb, createPostgresDb, migrate, withScopedDb, type Db } from './db/index.js';
import { sendWelcomeEmailHandler } from './dashboard/send-welcome-email.js';
import { sendSignInLinkHandler } from './dashboard/send-sign-in-link.js';
import { sendStepUpEmailHandler } from './sessions/index.js';
import { sendAccountExistsEmailHandler, sendVerificationEmailHandler } from './enrollment/email-jobs.js';
import { sendVerificationSmsHandler } from './enrollment/sms-jobs.js';
import { connectRedis } from './http/redis.js';
import { createSandboxGateway, type SandboxGateway } from './gateway-sandbox/index.js';
import { processGatewayEventHandler } from './webhooks/index.js';
import { createRulesDisputeAgent, respondToDisputeHandler, type DisputeAgent } from './disputes/index.js';
import { ensureReconciliationScheduled, reconcileHandler } from './reconciliation/index.js';
import { ensureRetentionScheduled, purgeExpiredDataHandler, sendMarketingEmailHandler } from './privacy/index.js';
import { convertTrialHandler, dunningRetryHandler, renewSubscriptionHandler, sendDunningEmailHandler, sendTrialReminderHandler } from './subscriptions/index.js';
import { systemClock, type Clock } from './kernel/clock.js';
import { deriveKey } from './kernel/crypto.js';
import { createWorker, type JobHandler, type Worker } from './jobs/index.js';
import {
  createDevMailbox,
  createMailboxEmailTransport,
  createMailboxSmsSender,
  createSmtpEmailTransport,
  createTwilioSmsSender,
  type DevMailbox,
  type EmailTransport,
  type SmsSender,
} from './notifications/index.js';
import { loadReferralRules, type ReferralRules } from './promotions/index.js';
import { createSandboxPaymentGateway, createStripePaymentGateway, refundChargeHandler, withGatewayFaults, withGatewayRetries, type PaymentGateway } from './payments/index.js';
import { catalogueMessages, loadCatalog, loadPricingRules, loadTaxRules, publishCatalog, type Catalog, type PricingRules, type TaxRules } from './pricing/index.js';
import { sourceMessages, translationCoverage } from './i18n/index.js';
import { eraseCustomerHandler } from './erasure/index.js';
import { createLocalKeyManager, createVault, type Vault } from './vault/index.js';
import { createProxyTrust, loadRiskPolicy, type ProxyTrust, type RiskPolicy } from './risk/index.js';

/** Everything a use case may touch. Built once, here; nothing else picks an adapter. */
export interface Deps {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  /** One purpose, one key: all derived from APP_SECRET. */
  keys: { codes: Buffer; sealing: Buffer; quotes: Buffer; links: Buffer; lookup: Buffer; idempotency: Buffer; totp: Buffer; sessions: Buffer; passkeys: Buffer };
  catalog: Catalog;
  /** Per-country VAT/GST rules (config/tax.json). */
  tax: TaxRules;
  /** Referral rewards (config/referrals.json). */
  referrals: ReferralRules;
  /** Dynamic pricing rules (config/pricing-rules.json), checked against the catalogue at boot. */
  pricingRules: PricingRules;
  gateway: PaymentGateway;
  /** Present when the embedded sandbox is the gateway: its tokenization routes are then served. */
  sandboxGateway: SandboxGateway | null;
  email: EmailTransport;
  /** Null in production without Twilio config: SMS codes are then refused with identity_channel_unsupported. */
  sms: SmsSender | null;
  /** Dev mode only: sent email is readable at GET /dev/mailbox. */
  mailbox: DevMailbox | null;
  worker: Worker;
  /** The shared rate-limit store when REDIS_URL is set; null keeps the counters in this process. */
  redis: Redis | null;
  migrationVersion: number;
  /** The PII vault: per-subject data keys wrapped by the KeyManager (PII_MASTER_KEYS). */
  vault: Vault;
  /** The risk rule set in force (defaults in src/risk/rules.ts, overridden by config). */
  risk: RiskPolicy;
  /** Which peers may speak for the client (X-Forwarded-For, the IP-country header). */
  proxyTrust: ProxyTrust;
  /** Decides disputes from their evidence: the offline rules by default; a model-based agent can be given as an override. */
  disputeAgent: DisputeAgent;
}

export interface DepsOverrides {
  db?: Db;
  clock?: Clock;
  email?: EmailTransport;
  sms?: SmsSender;
  catalog?: Catalog;
  tax?: TaxRules;
  referrals?: ReferralRules;
  pricingRules?: PricingRules;
  disputeAgent?: DisputeAgent;
  /** The worker's retry delay after a failed attempt (default: exponential backoff with full jitter). */
  jobBackoff?: (attempt: number) => number;
}

export async function createDeps(config: Config, logger: Logger, overrides: DepsOverrides = {}): Promise<Deps> {
  const owner = overrides.db ?? (config.databaseUrl ? createPostgresDb(config.databaseUrl, { max: config.databasePoolMax }) : await createPgliteDb(config.dataDir));
  const migrationVersion = await migrate(owner);
  // Migrations run as the connecting role; everything else runs as the app role, bound by row-level security.
  const db = owner.asRole(config.dbAppRole);
  await assertConfinedRole(db);
  const clock = overrides.clock ?? systemClock;
  // With Stripe configured the embedded sandbox is not served: cards go to Stripe.js, tokens come back.
  const sandboxGateway = config.stripe ? null : createSandboxGateway({ db, secret: config.gatewaySecret, clock, challengeTtlMinutes: config.paymentChallengeTtlMinutes });
  const mailbox = config.devMode ? createDevMailbox() : null;
  const email =
    overrides.email ??
    (config.smtpUrl ? createSmtpEmailTransport({ url: config.smtpUrl, from: config.mailFrom }) : mailbox ? createMailboxEmailTransport(mailbox) : null);
  if (!email) throw new Error('SMTP_URL is required when NODE_ENV=production');
  const sms = overrides.sms ?? (config.twilio ? createTwilioSmsSender(config.twilio) : mailbox ? createMailboxSmsSender(mailbox) : null);
  const catalog = overrides.catalog ?? loadCatalog();
  await publishCatalog(db, catalog, clock.now());
  reportTranslations(catalog, logger);
  const redis = config.rateLimit.redisUrl ? await connectRedis(config.rateLimit.redisUrl, logger) : null;
  const key = (purpose: string) => deriveKey(config.appSecret, purpose);
  const deps: Deps = {
    config,
    db,
    clock,
    logger,
    keys: { codes: key('otp'), sealing: key('seal'), quotes: key('quote'), links: key('links'), lookup: key('lookup'), idempotency: key('idempotency'), totp: key('totp'), sessions: key('sessions'), passkeys: key('passkeys') },
    catalog,
    tax: overrides.tax ?? loadTaxRules(),
    referrals: overrides.referrals ?? loadReferralRules(),
    pricingRules: overrides.pricingRules ?? loadPricingRules(catalog),
    gateway: gatewayFor(config, sandboxGateway),
    sandboxGateway,
    email,
    sms,
    mailbox,
    worker: undefined as unknown as Worker, // set below: handlers need deps, deps needs the worker
    redis,
    migrationVersion,
    risk: loadRiskPolicy(config.risk),
    vault: createVault(createLocalKeyManager(config.piiMasterKeys), clock),
    proxyTrust: createProxyTrust(config.trustedProxies),
    disputeAgent: overrides.disputeAgent ?? createRulesDisputeAgent(config.disputes),
  };
  // Jobs are system work: each one is handed a view of the database scoped to itself, by name, here
  // (the one place cross-tenant reach is granted to jobs); a job that knows its tenant may still narrow it.
  // Object.create: the view shares every other dependency, including the worker assigned just below.
  const asSystem = (reason: string): Deps => withScopedDb(deps, { system: reason });
  deps.worker = createWorker({
    db,
    logger,
    clock,
    ...(overrides.jobBackoff && { backoff: overrides.jobBackoff }),
    handlers: jobHandlers(asSystem, {
      'send-verification-email': sendVerificationEmailHandler,
      'send-verification-sms': sendVerificationSmsHandler,
      'send-account-exists-email': sendAccountExistsEmailHandler,
      'send-step-up-email': sendStepUpEmailHandler,
      'send-welcome-email': sendWelcomeEmailHandler,
      'send-sign-in-link': sendSignInLinkHandler,
      'refund-charge': refundChargeHandler,
      'process-gateway-event': processGatewayEventHandler,
      'convert-trial': convertTrialHandler,
      'send-trial-reminder': sendTrialReminderHandler,
      'dunning-retry': dunningRetryHandler,
      'send-dunning-email': sendDunningEmailHandler,
      'renew-subscription': renewSubscriptionHandler,
      reconcile: reconcileHandler,
      'respond-to-dispute': respondToDisputeHandler,
      'erase-customer': eraseCustomerHandler,
      'send-marketing-email': sendMarketingEmailHandler,
      'purge-expired-data': purgeExpiredDataHandler,
    }),
  });
  if (config.worker && deps.gateway.listCharges) await ensureReconciliationScheduled(db, clock.now());
  if (config.worker) await ensureRetentionScheduled(db, clock.now());
  return deps;
}

/** Each job's handler, built with a deps whose database is scoped to that job by name. */
function jobHandlers(asSystem: (reason: string) => Deps, makers: Record<string, (deps: Deps) => JobHandler>): Record<string, JobHandler> {
  return Object.fromEntries(Object.entries(makers).map(([type, make]) => [type, make(asSystem(`job:${type}`))]));
}

/**
 * Stripe or the sandbox (with injected faults when asked), always behind the
 * retry policy: transient failures are retried under the caller's key.
 */
function gatewayFor(config: Config, sandbox: SandboxGateway | null): PaymentGateway {
  // Stripe's intents carry Stripe's time: their deadline is checked on the system clock, never a test's manual one.
  if (config.stripe) return withGatewayRetries(createStripePaymentGateway({ ...config.stripe, challengeTtlMinutes: config.paymentChallengeTtlMinutes }));
  const base = createSandboxPaymentGateway(sandbox!, { publicUrl: config.gatewayPublicUrl });
  return withGatewayRetries(config.gatewayFaults ? withGatewayFaults(base, config.gatewayFaults) : base);
}

/**
 * Reads and parses every ICU catalogue (a broken one stops the boot, like a broken plan catalogue) and
 * logs untranslated keys: they fall back to English, so they are worth a warning, not a refusal to start.
 */
function reportTranslations(catalog: Catalog, logger: Logger): void {
  const coverage = translationCoverage(sourceMessages(catalogueMessages(catalog)));
  for (const [locale, c] of Object.entries(coverage)) {
    if (c.missing.length || c.extra.length) logger.warn({ locale, missing: c.missing, extra: c.extra }, 'translation catalogue out of step with the English sources');
  }
}
