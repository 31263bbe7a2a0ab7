import type { FastifyRequest } from 'fastify';
import { complianceErrors, consentSubjectOf, type ConsentSubject } from '../compliance/index.js';
import type { Deps } from '../deps.js';
import { isAdmin } from '../http/auth.js';
import { httpErrors } from '../http/errors.js';
import { currentSession } from '../sessions/index.js';

export interface SubjectAccess {
  subject: ConsentSubject & { customerId: string };
  actor: { type: 'admin' } | { type: 'customer'; id: string };
  /** The ledger's channel for what this caller does. */
  channel: 'admin' | 'dashboard';
}

/**
 * The admin key, or the customer's own dashboard session. Anyone else asking about a customer gets the same
 * 404 as for a customer who does not exist: whether an id is someone's is not theirs to learn.
 */
export async function resolveSubjectAccess(deps: Pick<Deps, 'db' | 'keys' | 'clock' | 'config'>, req: FastifyRequest, customerId: string): Promise<SubjectAccess> {
  let actor: SubjectAccess['actor'];
  if (isAdmin(req, deps.config.adminApiKey)) actor = { type: 'admin' };
  else {
    const s = await currentSession(deps, req);
    if (!s) throw httpErrors.auth_required();
    if (s.customer_id !== customerId) throw complianceErrors.compliance_customer_not_found();
    actor = { type: 'customer', id: s.customer_id };
  }
  const subject = await consentSubjectOf(deps.db, customerId);
  if (!subject || !subject.customerId) throw complianceErrors.compliance_customer_not_found();
  return { subject: subject as SubjectAccess['subject'], actor, channel: actor.type === 'admin' ? 'admin' : 'dashboard' };
}
