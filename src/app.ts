import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { partnerRoutes } from './channels/index.js';
import { auditRoutes } from './audit/routes.js';
import { erasureRoutes } from './erasure/index.js';
import { dashboardRoutes } from './dashboard/index.js';
import type { Deps } from './deps.js';
import { enrollmentRoutes, reviewRoutes } from './enrollment/index.js';
import { sandboxGatewayRoutes } from './gateway-sandbox/index.js';
import { partnerIdOf } from './http/auth.js';
import { healthRoutes } from './http/health.js';
import { publicConfigRoutes } from './http/public-config.js';
import { registerIdempotency } from './http/idempotency.js';
import { registerProblemHandlers } from './http/problem.js';
import { registerRateLimit } from './http/rate-limit.js';
import { newId } from './kernel/ids.js';
import { mfaRoutes } from './mfa/index.js';
import { passkeyRoutes } from './passkeys/index.js';
import { passwordRoutes } from './passwords/index.js';
import { sessionRoutes } from './sessions/index.js';
import { subscriptionRoutes } from './subscriptions/index.js';
import { promotionRoutes } from './promotions/index.js';
import { webhookRoutes } from './webhooks/index.js';
import { reconciliationRoutes } from './reconciliation/index.js';
import { devMailboxRoutes } from './notifications/index.js';
import { pricingRoutes } from './pricing/index.js';
import { spaRoutes } from './spa/index.js';
import { privacyRoutes, registerGpcOptOut } from './privacy/index.js';

/** The HTTP application, without listen(): tests drive it with inject(). */
export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: (req) => {
      // Accept a caller's correlation id only when it is short and plain; otherwise mint one.
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : newId('req');
    },
    bodyLimit: 64 * 1024,
    // Only configured proxies may name the client (X-Forwarded-For): otherwise anyone could pick the IP that the
    // rate limit and the risk engine see. No TRUSTED_PROXIES: the socket's address is the client.
    trustProxy: (address: string) => deps.proxyTrust(address),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  registerProblemHandlers(app);
  await app.register(cookie);
  // After the cookie parser (it names the signed-in customer), before everything else: on any request.
  registerGpcOptOut(app, deps);
  await registerRateLimit(app, {
    ...deps.config.rateLimit,
    redis: deps.redis,
    partnerOf: (req) => partnerIdOf(req, deps.config.partnerApiKeys),
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Enroll API', version: '1.0.0', description: 'From first interest to the first active billing cycle. Errors are RFC 9457 problem+json with a stable `code`.' },
      components: {
        securitySchemes: {
          partnerKey: { type: 'http', scheme: 'bearer', description: 'PARTNER_API_KEYS' },
          adminKey: { type: 'http', scheme: 'bearer', description: 'ADMIN_API_KEY' },
          dashboardSession: { type: 'apiKey', in: 'cookie', name: '__Host-enroll_session', description: "The customer's own dashboard session" },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes(deps));
  await app.register(publicConfigRoutes(deps));

  // Every POST in the public API honours Idempotency-Key.
  await app.register(async (api) => {
    registerIdempotency(api, { db: deps.db, table: 'idempotency_keys', key: deps.keys.idempotency });
    await api.register(pricingRoutes({ catalog: deps.catalog, tax: deps.tax, pricing: { rules: deps.pricingRules, db: deps.db, clock: deps.clock } }));
    await api.register(enrollmentRoutes(deps));
    await api.register(mfaRoutes(deps));
    await api.register(passkeyRoutes(deps));
    await api.register(passwordRoutes(deps));
    await api.register(sessionRoutes(deps));
    await api.register(subscriptionRoutes(deps));
    await api.register(promotionRoutes(deps));
    await api.register(reconciliationRoutes(deps));
    await api.register(partnerRoutes(deps));
    await api.register(dashboardRoutes(deps));
    await api.register(auditRoutes(deps));
    await api.register(reviewRoutes(deps));
    await api.register(erasureRoutes(deps));
    await api.register(privacyRoutes(deps));
  });

  // Outside the /v1 idempotency scope: a webhook is deduplicated by its event id, and its body is read raw.
  if (deps.config.stripeWebhookSecret) await app.register(webhookRoutes(deps, deps.config.stripeWebhookSecret));

  // The gateway keeps its own idempotency store: its responses carry tokens.
  if (deps.sandboxGateway) await app.register(sandboxGatewayRoutes({ gateway: deps.sandboxGateway, db: deps.db, secret: deps.config.gatewaySecret }));
  if (deps.config.devMode && deps.mailbox) await app.register(devMailboxRoutes({ mailbox: deps.mailbox }));

  // The web app (web/dist): its own listed paths, never a catch-all over the API.
  await app.register(spaRoutes({ dir: deps.config.webDir, gatewayOrigin: deps.config.gatewayPublicUrl }));
  return app;
}
