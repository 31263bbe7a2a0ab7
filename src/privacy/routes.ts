import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changeConsent, CONSENT_TEXTS, currentConsentText, deriveConsentState, listConsentEvents } from '../compliance/index.js';
import { withScopedDb } from '../db/index.js';
import type { Deps } from '../deps.js';
import { requireAdmin } from '../http/auth.js';
import { resolveLocale } from '../i18n/index.js';
import { clientSignals } from '../risk/index.js';
import { exportSubject } from './export-subject.js';
import { readCustomer } from './read-subject.js';
import { subjectExportSchema } from './export-schema.js';
import { scheduleMarketingEmail } from './send-marketing-email.js';
import { resolveSubjectAccess, type SubjectAccess } from './resolve-access.js';
import { consentChangeSchema, consentPoliciesSchema, consentsSchema, consentStateJson, customerParams, giveConsentBody, ledgerEventJson } from './schemas.js';

const tags = ['privacy'];
const security: Record<string, string[]>[] = [{ adminKey: [] }, { dashboardSession: [] }];

/** Consent ledger, export and the marketing send: the data subject's rights over HTTP. */
export function privacyRoutes(appDeps: Deps): FastifyPluginAsync {
  // A data subject's rows span tenants: their customer row's tenant, any other tenant they belong to, and the rows
  // written before any tenant existed (their enrollment's consents and audit events, tenant_id NULL, readable by
  // system work only). So the rights routes read and write in one named system scope, after the access check
  // (admin key or the customer's own session) has named the customer; every query filters by that subject's ids.
  const deps = withScopedDb(appDeps, { system: 'data-subject-rights' });
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    const consentsOf = async (access: SubjectAccess) => {
      const ledger = await listConsentEvents(deps.db, access.subject, undefined, deps.vault);
      return { customer_id: access.subject.customerId, state: deriveConsentState(ledger).map(consentStateJson), ledger: ledger.map(ledgerEventJson) };
    };
    const change = async (req: FastifyRequest, access: SubjectAccess, c: { purpose: string; granted: boolean; policyVersion?: string; locale?: string }) => {
      const client = clientSignals(req, { trust: deps.proxyTrust, countryHeader: deps.config.ipCountryHeader });
      const locale = c.locale ?? (await readCustomer(deps, access.subject.customerId))?.locale ?? 'en';
      const { recorded, event } = await changeConsent(deps, access.subject, {
        ...c, locale, channel: access.channel, client: { ip: client.ip, userAgent: client.userAgent }, requestId: req.id, actor: access.actor, now: deps.clock.now(),
      });
      const state = deriveConsentState(await listConsentEvents(deps.db, access.subject)).map(consentStateJson);
      return { recorded, event: ledgerEventJson(event), state };
    };

    r.get('/v1/consent-policies', {
      schema: { tags, summary: 'The consent texts currently shown, with the hash the ledger records', querystring: z.object({ locale: z.string().max(35).optional() }), response: { 200: consentPoliciesSchema } },
    }, async (req) => {
      const locale = resolveLocale(req.query.locale);
      const policies = Object.entries(CONSENT_TEXTS).map(([purpose, p]) => {
        const t = currentConsentText(purpose, locale)!;
        return { purpose, policy_version: p.current, required: p.required, lawful_basis: p.lawful_basis, text: t.text, text_sha256: t.text_sha256 };
      });
      return { locale, policies };
    });

    r.get('/v1/customers/:id/consents', {
      schema: { tags, summary: 'Current consent state (derived from the ledger) and the ledger', params: customerParams, response: { 200: consentsSchema }, security },
    }, async (req) => consentsOf(await resolveSubjectAccess(deps, req, req.params.id)));

    r.post('/v1/customers/:id/consents', {
      schema: { tags, summary: 'Give consent to a purpose, at its current text version', params: customerParams, body: giveConsentBody, response: { 200: consentChangeSchema, 201: consentChangeSchema }, security },
    }, async (req, reply) => {
      const access = await resolveSubjectAccess(deps, req, req.params.id);
      const res = await change(req, access, { purpose: req.body.purpose, granted: true, policyVersion: req.body.policy_version, locale: req.body.locale });
      return reply.status(res.recorded ? 201 : 200).send(res);
    });

    r.delete('/v1/customers/:id/consents/:purpose', {
      schema: { tags, summary: 'Withdraw consent: one call, as easy as giving it', params: customerParams.extend({ purpose: z.string().max(64) }), response: { 200: consentChangeSchema }, security },
    }, async (req) => change(req, await resolveSubjectAccess(deps, req, req.params.id), { purpose: req.params.purpose, granted: false }));

    r.get('/v1/customers/:id/export', {
      schema: { tags, summary: 'Everything held about the customer, as JSON (GDPR art. 15 and 20)', params: customerParams, response: { 200: subjectExportSchema }, security },
    }, async (req, reply) => {
      const access = await resolveSubjectAccess(deps, req, req.params.id);
      reply.header('cache-control', 'no-store');
      reply.header('content-disposition', `attachment; filename="${access.subject.customerId}-export.json"`);
      return exportSubject(deps, access.subject, deps.clock.now());
    });

    r.post('/v1/admin/marketing-emails', {
      schema: {
        tags, summary: 'Send a marketing email to every customer who currently consents (admin)', security: [{ adminKey: [] }],
        body: z.object({ campaign: z.string().regex(/^[a-z0-9-]{1,40}$/) }).strict(), response: { 202: z.object({ campaign: z.string(), job_id: z.string() }) },
      },
    }, async (req, reply) => {
      requireAdmin(req, appDeps.config.adminApiKey);
      const jobId = await scheduleMarketingEmail(appDeps, req.body.campaign, req.id);
      return reply.status(202).send({ campaign: req.body.campaign, job_id: jobId });
    });
  };
}
