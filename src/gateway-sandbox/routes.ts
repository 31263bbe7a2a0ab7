import type { FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/index.js';
import { registerIdempotency } from '../http/idempotency.js';
import { deriveKey } from '../kernel/crypto.js';
import type { SandboxGateway } from './index.js';
import { answerChallengeBody, challengeParams, challengeResponse, tokenizeCardBody, tokenResponse } from './schemas.js';

/**
 * The gateway's own endpoint: the browser posts the card here, as it would to
 * Stripe, so no other route ever receives a PAN. Not wrapped in fastify-plugin
 * on purpose: its idempotency hooks and key table stay inside this scope.
 */
export function sandboxGatewayRoutes(opts: { gateway: SandboxGateway; db: Db; secret: string }): FastifyPluginAsync {
  return async (app) => {
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    // Keyed with the gateway's own secret; the CVC is left out of the request hash entirely.
    registerIdempotency(app, { db: opts.db, table: 'gateway_idempotency_keys', key: deriveKey(opts.secret, 'gateway-idempotency'), exclude: ['cvc'] });

    app.withTypeProvider<ZodTypeProvider>().post(
      '/sandbox-gateway/v1/tokens',
      {
        schema: {
          tags: ['sandbox-gateway'],
          summary: 'Tokenize a card (sandbox gateway; PCI boundary)',
          body: tokenizeCardBody,
          response: { 201: tokenResponse },
        },
      },
      async (req, reply) => {
        const token = await opts.gateway.tokenizeCard(req.body);
        return reply.status(201).send(token);
      },
    );

    // The cardholder's answer, posted by the hosted challenge page (same origin). It moves no money.
    app.withTypeProvider<ZodTypeProvider>().post(
      '/sandbox-gateway/v1/challenges/:id',
      {
        schema: {
          tags: ['sandbox-gateway'],
          summary: 'Answer a 3-D Secure challenge (sandbox issuer)',
          params: challengeParams,
          body: answerChallengeBody,
          response: { 200: challengeResponse },
        },
      },
      async (req) => {
        const c = await opts.gateway.answerChallenge(req.params.id, req.body.outcome);
        return { id: c.id, status: c.status };
      },
    );
  };
}
