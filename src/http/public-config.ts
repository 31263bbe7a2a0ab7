import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { SUPPORTED_LOCALES } from '../i18n/index.js';

const publicConfigSchema = z.object({
  /** The sandbox gateway's origin (hosted card fields, 3-D Secure pages); null when Stripe is the gateway. */
  gateway_origin: z.string().nullable(),
  gateway: z.enum(['sandbox', 'stripe']),
  webauthn_rp_id: z.string(),
  locales: z.array(z.string()),
  currencies: z.array(z.string()),
});

/**
 * What a browser client needs before its first step: where the gateway's
 * frames come from (its CSP frame-src and its postMessage origin check), the
 * passkey RP ID, and the languages and currencies on offer. Nothing secret.
 */
export function publicConfigRoutes(deps: Pick<Deps, 'config' | 'sandboxGateway' | 'catalog'>): FastifyPluginAsync {
  const body = {
    gateway_origin: deps.sandboxGateway ? deps.config.gatewayPublicUrl : null,
    gateway: deps.sandboxGateway ? ('sandbox' as const) : ('stripe' as const),
    webauthn_rp_id: deps.config.webauthn.rpId,
    locales: [...SUPPORTED_LOCALES],
    currencies: [...deps.catalog.currencies],
  };
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get('/v1/config/public', {
      schema: { tags: ['config'], summary: 'Public client configuration (gateway origin, passkey RP ID, locales, currencies)', response: { 200: publicConfigSchema } },
    }, async () => body);
  };
}
