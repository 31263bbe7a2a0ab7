import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { profileInput } from '../customers/index.js';
import type { Deps } from '../deps.js';
import { getQuote, normalizeLocale, preferredLocale, quoteToJson, type Quote } from '../pricing/index.js';
import { clientSignals } from '../risk/index.js';
import { attachPaymentMethod } from './attach-payment-method.js';
import { completeEnrollment } from './complete-enrollment.js';
import { confirmVerification } from './confirm-verification.js';
import type { FlowContext } from './context.js';
import { loadEnrollment } from './load-enrollment.js';
import type { Enrollment } from './repository.js';
import { completionResultSchema, confirmBody, enrollmentViewSchema, paymentMethodBody, selectPlanBody, startEnrollmentBody, verificationBody } from './schemas.js';
import { selectPlan } from './select-plan.js';
import { sendVerification } from './send-verification.js';
import { startEnrollment } from './start-enrollment.js';
import { submitProfile } from './submit-profile.js';
import { riskView } from './risk-view.js';
import { enrollmentView } from './view.js';

const params = z.object({ id: z.string().max(64) });
const tags = ['enrollments'];

/** The web channel: the step-by-step API. Its bodies are the canonical pieces every channel uses. */
export function enrollmentRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const ctx = (req: FastifyRequest, enrollmentId?: string): FlowContext => ({
      requestId: req.id,
      actor: { type: 'anonymous', id: enrollmentId },
      channel: 'web',
      now: deps.clock.now(),
      // The web client is the customer's own browser: its IP, user agent and device id are signals about them.
      client: clientSignals(req, { trust: deps.proxyTrust, countryHeader: deps.config.ipCountryHeader }),
      ...(typeof req.headers.origin === 'string' ? { origin: req.headers.origin } : {}),
    });
    const view = async (e: Enrollment, quote?: Quote | null) =>
      enrollmentView(e, deps.clock.now(), quote !== undefined ? quote : e.quote_id ? await getQuote(deps.db, e.quote_id) : null, await riskView(deps, e));

    r.post('/v1/enrollments', {
      schema: { tags, summary: 'Start an enrollment', body: startEnrollmentBody.nullish(), response: { 201: enrollmentViewSchema } },
    }, async (req, reply) => {
      const body = req.body ?? {};
      const locale = normalizeLocale(body.locale ?? preferredLocale(req.headers['accept-language']));
      const e = await startEnrollment(deps, { locale, country: body.country, currency: body.currency }, ctx(req));
      return reply.status(201).header('location', `/v1/enrollments/${e.id}`).send(await view(e));
    });

    r.get('/v1/enrollments/:id', {
      schema: { tags, summary: 'Show state, completed steps and what comes next', params, response: { 200: enrollmentViewSchema } },
    }, async (req) => view(await loadEnrollment(deps.db, req.params.id, deps.vault)));

    r.put('/v1/enrollments/:id/profile', {
      schema: { tags, summary: 'Give profile and consents', params, body: profileInput, response: { 200: enrollmentViewSchema } },
    }, async (req) => view(await submitProfile(deps, req.params.id, req.body, ctx(req, req.params.id))));

    r.post('/v1/enrollments/:id/verification', {
      schema: { tags, summary: 'Send a one-time code', params, body: verificationBody },
    }, async (req, reply) => reply.status(202).send(await sendVerification(deps, req.params.id, req.body.channel, ctx(req, req.params.id))));

    r.post('/v1/enrollments/:id/verification/confirm', {
      schema: { tags, summary: 'Confirm the one-time code', params, body: confirmBody, response: { 200: enrollmentViewSchema } },
    }, async (req) => view(await confirmVerification(deps, req.params.id, req.body.code, ctx(req, req.params.id))));

    r.put('/v1/enrollments/:id/plan', {
      schema: { tags, summary: 'Select a plan and get a price-locked quote', params, body: selectPlanBody },
    }, async (req) => {
      const { enrollment, quote } = await selectPlan(deps, req.params.id, req.body, ctx(req, req.params.id));
      return { quote: quoteToJson(quote), enrollment: await view(enrollment, quote) };
    });

    r.put('/v1/enrollments/:id/payment-method', {
      schema: { tags, summary: 'Attach a gateway token', params, body: paymentMethodBody, response: { 200: enrollmentViewSchema } },
    }, async (req) => {
      const { enrollment, quote } = await attachPaymentMethod(deps, req.params.id, req.body.token, ctx(req, req.params.id));
      return view(enrollment, quote);
    });

    r.post('/v1/enrollments/:id/complete', {
      schema: { tags, summary: 'Charge the quote and create customer, tenant and subscription', params, response: { 200: completionResultSchema } },
    }, async (req) => {
      const result = await completeEnrollment(deps, req.params.id, ctx(req, req.params.id));
      return { status: 'completed' as const, enrollment_id: req.params.id, ...result };
    });
  };
}
