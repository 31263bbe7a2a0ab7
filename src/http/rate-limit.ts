import rateLimit, { normalizeIP, type CreateRateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { httpErrors } from './errors.js';
import { MemoryRateLimitStore } from './memory-rate-limit-store.js';
import { redisRateLimitStore } from './redis-rate-limit-store.js';

export interface RateLimitOptions {
  perIpPerMinute: number;
  perEnrollmentPerMinute: number;
  perPartnerPerMinute: number;
  /** Shared counters for several API processes; null keeps them in this process. */
  redis: Redis | null;
  keyPrefix: string;
  /** The partner a request authenticates as, or null (no key, or an unknown one). */
  partnerOf(req: FastifyRequest): string | null;
}

type BudgetName = 'ip' | 'enrollment' | 'partner';
interface Budget {
  name: BudgetName;
  max: number;
  /** The counter this request spends, or null when the budget does not apply to it. */
  key(req: FastifyRequest, route: string): string | null;
}

/**
 * Routes a stranger can call without credentials and that cost something: a
 * new enrollment row, an email or SMS to any destination, a guess at a code,
 * a card test at the gateway. A person enrolling uses a handful.
 */
const ANONYMOUS_COSTLY = [
  /^POST \/v1\/enrollments$/,
  /^POST \/v1\/enrollments\/:id\/verification(\/confirm)?$/,
  /^POST \/v1\/enrollments\/:id\/totp(\/confirm)?$/,
  /^POST \/v1\/enrollments\/:id\/passkeys(\/options)?$/,
  /^PUT \/v1\/enrollments\/:id\/password$/,
  // Sign-in: password guessing (and Argon2 CPU), passkey challenges, step-up codes.
  /^POST \/v1\/sessions\/(password|passkey|passkey\/options)$/,
  /^POST \/v1\/sessions\/step-up\/(totp|passkey|passkey\/options)$/,
  /^POST \/sandbox-gateway\/v1\/tokens$/,
];
const PARTNER_ROUTE = 'POST /v1/channels/partner/enrollments';
// Writes on one enrollment: its id is a capability, and a bot holding one (or rotating IPs) must not hammer it.
const ENROLLMENT_WRITE = /^(POST|PUT) \/v1\/enrollments\/:id(\/|$)/;

// An IPv6 client is its /64: one host gets a whole subnet, and would otherwise rotate addresses past the budget.
const ipKey = (req: FastifyRequest) => `ip:${normalizeIP(req.ip)}`;

function budgets(opts: RateLimitOptions): Budget[] {
  const all: Budget[] = [
    {
      name: 'ip',
      max: opts.perIpPerMinute,
      key: (req, route) => {
        // A partner with a valid key is counted per partner, not per IP; a wrong key is a stranger guessing keys.
        if (route === PARTNER_ROUTE) return opts.partnerOf(req) ? null : ipKey(req);
        return ANONYMOUS_COSTLY.some((re) => re.test(route)) ? ipKey(req) : null;
      },
    },
    {
      name: 'partner',
      max: opts.perPartnerPerMinute,
      key: (req, route) => {
        if (route !== PARTNER_ROUTE) return null;
        const partner = opts.partnerOf(req);
        return partner ? `partner:${partner}` : null;
      },
    },
    {
      name: 'enrollment',
      max: opts.perEnrollmentPerMinute,
      key: (req, route) => {
        const id = (req.params as { id?: unknown } | undefined)?.id;
        return ENROLLMENT_WRITE.test(route) && typeof id === 'string' ? `enr:${id}` : null;
      },
    },
  ];
  return all.filter((b) => b.max > 0);
}

/**
 * Per-IP, per-enrollment and per-partner budgets, one minute each, counted by
 * @fastify/rate-limit in Redis when given (shared by every process) or in
 * memory. One onRequest hook checks every budget that applies, so a 429 is
 * our own problem+json (`rate_limited`, `Retry-After`) whichever budget ran out.
 */
export async function registerRateLimit(app: FastifyInstance, opts: RateLimitOptions) {
  const active = budgets(opts);
  if (active.length === 0) return;
  await app.register(rateLimit, {
    global: false,
    // Redis down: counting fails open (the client logs the error); the code attempt and resend caps in the database still hold.
    skipOnError: true,
    store: opts.redis ? redisRateLimitStore(opts.redis, opts.keyPrefix) : MemoryRateLimitStore,
  });
  const limiters = active.map((b) => {
    // Each limiter gets its own store, made from these options: in memory, `cache` bounds its LRU (the plugin's
    // default, 5,000 keys, would let a bot evict live counters by minting enrollments).
    const options: CreateRateLimitOptions & { cache: number } = {
      max: b.max,
      timeWindow: 60_000,
      keyGenerator: (req) => b.key(req, routeOf(req) ?? '') ?? '',
      cache: 50_000,
    };
    return { budget: b, check: app.createRateLimit(options) };
  });
  app.addHook('onRequest', async (req) => {
    const route = routeOf(req);
    if (!route) return;
    for (const { budget, check } of limiters) {
      if (budget.key(req, route) === null) continue;
      const r = await check(req);
      if (r.isAllowed || !r.isExceeded) continue;
      const retryAfter = Math.max(1, r.ttlInSeconds);
      req.log.info({ budget: budget.name }, 'rate limited');
      throw httpErrors.rate_limited({ headers: { 'retry-after': String(retryAfter) }, extra: { budget: budget.name, retry_after_seconds: retryAfter } });
    }
  });
}

function routeOf(req: FastifyRequest): string | null {
  const url = req.routeOptions.url;
  return url ? `${req.method} ${url}` : null;
}
