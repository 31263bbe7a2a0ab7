import type { FastifyInstance, FastifyRequest } from 'fastify';
import { changeConsent, consentSubjectOf, type ConsentSubject } from '../compliance/index.js';
import { withScopedDb } from '../db/index.js';
import type { Deps } from '../deps.js';
import { clientSignals } from '../risk/index.js';
import { currentSession } from '../sessions/index.js';
import { readEnrollment } from './read-subject.js';

const ENROLLMENT_ROUTE = /^\/v1\/enrollments\/:id(\/|$)/;

/**
 * Global Privacy Control: `Sec-GPC: 1` on any request is a valid opt-out of sale and sharing (CCPA regs
 * §7025), with no extra step. It is recorded once for whoever the request identifies: the signed-in customer,
 * or else the enrollment the URL names (its customer, once completed). `data_sharing` is withdrawn on channel
 * `gpc` with the legal duty as its basis; an anonymous request identifies no one and records nothing.
 */
export function registerGpcOptOut(app: FastifyInstance, appDeps: Deps): void {
  // Whoever the request names, their ledger spans their tenant and their enrollment's rows from before it
  // (tenant_id NULL): the opt-out reads and writes in a named system scope, filtered by that subject.
  const deps = withScopedDb(appDeps, { system: 'gpc-opt-out' });
  app.addHook('onRequest', async (req) => {
    if (req.headers['sec-gpc'] !== '1') return;
    const subject = await subjectOf(deps, req);
    if (!subject) return;
    const client = clientSignals(req, { trust: deps.proxyTrust, countryHeader: deps.config.ipCountryHeader });
    await changeConsent(deps, subject, {
      purpose: 'data_sharing',
      granted: false,
      locale: 'en',
      channel: 'gpc',
      lawfulBasis: 'legal_obligation',
      client: { ip: client.ip, userAgent: client.userAgent },
      requestId: req.id,
      actor: subject.customerId ? { type: 'customer', id: subject.customerId } : { type: 'anonymous', id: subject.enrollmentId! },
      now: deps.clock.now(),
    });
  });
}

async function subjectOf(deps: Deps, req: FastifyRequest): Promise<ConsentSubject | null> {
  const session = await currentSession(deps, req);
  if (session) return consentSubjectOf(deps.db, session.customer_id);
  const id = (req.params as { id?: unknown } | undefined)?.id;
  if (!ENROLLMENT_ROUTE.test(req.routeOptions.url ?? '') || typeof id !== 'string' || id.length > 64) return null;
  const e = await readEnrollment(deps, id);
  if (!e) return null;
  if (e.result?.customer_id) return consentSubjectOf(deps.db, e.result.customer_id);
  return { customerId: null, enrollmentId: e.id, tenantId: null };
}
