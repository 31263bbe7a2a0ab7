import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { resolveLocale } from '../i18n/index.js';
import { gatewayErrors } from './errors.js';
import { cardFieldsPage, challengePage, type HostedPage } from './hosted-pages.js';
import type { SandboxGateway } from './index.js';
import { challengeParams, hostedQuery } from './schemas.js';

export interface HostedPagesOptions {
  gateway: SandboxGateway;
  /** The app origins that may frame these pages and receive their messages (PUBLIC_URL's plus WEBAUTHN_ORIGINS). */
  allowedOrigins: readonly string[];
}

/**
 * The hosted card fields and the 3-D Secure challenge page. Served only by the
 * gateway's own listener (GATEWAY_PORT), so the card is typed into, and posted
 * from, the gateway's origin: the app's origin never sees it.
 */
export function hostedPageRoutes(opts: HostedPagesOptions): FastifyPluginAsync {
  // An exact origin from the allow-list, never a prefix or a pattern: it becomes frame-ancestors and the postMessage target.
  const parentOf = (given: string) => {
    if (!opts.allowedOrigins.includes(given)) throw gatewayErrors.gateway_request_invalid({ fields: { parent_origin: ['not_allowed'] } });
    return given;
  };
  const send = (reply: FastifyReply, p: HostedPage) =>
    reply
      .header('content-security-policy', p.csp)
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .type('text/html; charset=utf-8')
      .send(p.html);

  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const hide = { hide: true };
    r.get('/sandbox-gateway/hosted/card-fields', { schema: { ...hide, querystring: hostedQuery } }, async (req, reply) =>
      send(reply, cardFieldsPage(parentOf(req.query.parent_origin), resolveLocale(req.query.locale))));

    r.get('/sandbox-gateway/hosted/challenge/:id', { schema: { ...hide, params: challengeParams, querystring: hostedQuery } }, async (req, reply) => {
      const parent = parentOf(req.query.parent_origin);
      const challenge = await opts.gateway.getChallenge(req.params.id);
      if (!challenge) throw gatewayErrors.gateway_challenge_unavailable({ extra: { reason: 'unknown' } });
      return send(reply, challengePage(challenge, parent, resolveLocale(req.query.locale)));
    });
  };
}
