import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Deps } from './deps.js';
import { hostedPageRoutes, sandboxGatewayRoutes } from './gateway-sandbox/index.js';
import { registerProblemHandlers } from './http/problem.js';
import { registerRateLimit } from './http/rate-limit.js';
import { newId } from './kernel/ids.js';

/**
 * The embedded sandbox gateway on its OWN origin (GATEWAY_PORT): the tokens
 * and challenge API plus the hosted card-fields and 3-D Secure pages, and
 * nothing of the app. A card typed into the hosted fields is posted to this
 * origin only, so the app's origin (and any script running there) never sees
 * it, as with a real gateway's iframe. Without listen(): tests listen on port 0.
 */
export async function buildGatewayApp(deps: Pick<Deps, 'sandboxGateway' | 'db' | 'config' | 'logger' | 'redis' | 'proxyTrust'>): Promise<FastifyInstance> {
  if (!deps.sandboxGateway) throw new Error('the gateway listener serves the embedded sandbox only (STRIPE_SECRET_KEY is set)');
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: () => newId('req'),
    bodyLimit: 16 * 1024,
    trustProxy: (address: string) => deps.proxyTrust(address),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandlers(app);
  // Card testing is the abuse a tokens endpoint invites: the same per-IP budget as on the app's port.
  await registerRateLimit(app, { ...deps.config.rateLimit, redis: deps.redis, partnerOf: () => null });
  // Anything that is not a hosted page (JSON, problems) may be framed by no one and runs nothing.
  app.addHook('onSend', async (_req, reply) => {
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  });
  await app.register(sandboxGatewayRoutes({ gateway: deps.sandboxGateway, db: deps.db, secret: deps.config.gatewaySecret }));
  await app.register(hostedPageRoutes({ gateway: deps.sandboxGateway, allowedOrigins: deps.config.appOrigins }));
  return app;
}
