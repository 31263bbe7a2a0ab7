import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { completionResultSchema, enrollmentErrors, type FlowContext } from '../enrollment/index.js';
import { partnerIdOf } from '../http/auth.js';
import { httpErrors } from '../http/errors.js';
import { isAppError } from '../kernel/errors.js';
import { fromPartner, partnerEnrollmentBody } from './adapters/partner.js';
import { channelErrors } from './errors.js';
import { claimExternalRef } from './claim-external-ref.js';
import { policyFor } from './policy.js';
import { runEnrollment } from './run-enrollment.js';
import { clientSignals } from '../risk/index.js';

/** POST /v1/channels/partner/enrollments: one call, whole flow; `external_ref` makes retries safe. */
export function partnerRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const partnerOf = (req: FastifyRequest): string => {
      const partnerId = partnerIdOf(req, deps.config.partnerApiKeys);
      if (!partnerId) throw httpErrors.auth_required();
      return partnerId;
    };

    app.withTypeProvider<ZodTypeProvider>().post('/v1/channels/partner/enrollments', {
      // Authenticate before the body is even validated: strangers learn nothing about our schema.
      onRequest: async (req) => {
        partnerOf(req);
      },
      schema: {
        tags: ['channels'],
        summary: 'Enroll a customer in one server-to-server call',
        security: [{ partnerKey: [] }],
        body: partnerEnrollmentBody,
        response: { 200: completionResultSchema },
      },
    }, async (req) => {
      const partnerId = partnerOf(req);
      const request = fromPartner(req.body);
      const ctx: FlowContext = {
        requestId: req.id,
        actor: { type: 'partner', id: partnerId },
        channel: request.channel,
        now: deps.clock.now(),
        client: policyFor(request.channel).clientSignals ? clientSignals(req, { trust: deps.proxyTrust, countryHeader: deps.config.ipCountryHeader }) : undefined,
      };
      const enrollmentId = await claimExternalRef(deps, { partnerId, externalRef: req.body.external_ref, request, ctx });
      try {
        const result = await runEnrollment(deps, enrollmentId, request, ctx);
        return { status: 'completed' as const, enrollment_id: enrollmentId, ...result };
      } catch (err) {
        // Two retries of one external_ref racing: the loser is told to come back, not given a half state.
        if (isAppError(err, enrollmentErrors.enrollment_conflict) || isAppError(err, enrollmentErrors.enrollment_invalid_transition)) {
          throw channelErrors.channel_request_in_progress({ extra: { enrollment_id: enrollmentId } });
        }
        throw err;
      }
    });
  };
}
