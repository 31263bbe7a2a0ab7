import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

/**
 * Routes a stranger can call without credentials and that cost something:
 * a new enrollment row, an email to any address, a guess at a code, a card
 * test at the gateway. One budget per client IP across them; a person
 * enrolling uses a handful. In memory: with several API processes, give the
 * plugin a Redis store (these machines run one) so the budget is shared.
 */
const LIMITED = [
  /^POST \/v1\/enrollments$/,
  /^POST \/v1\/enrollments\/:id\/verification(\/confirm)?$/,
  /^POST \/sandbox-gateway\/v1\/tokens$/,
];

export async function registerRateLimit(app: FastifyInstance, perMinute: number) {
  if (perMinute === 0) return;
  await app.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: '1 minute',
    allowList: (req) => !LIMITED.some((re) => re.test(`${req.method} ${req.routeOptions.url}`)),
  });
}
