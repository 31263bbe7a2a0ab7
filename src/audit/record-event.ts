import type { Tx } from '../db/index.js';
import { newId } from '../kernel/ids.js';

export interface AuditEvent {
  /** `noun.past_verb`, e.g. `enrollment.plan_selected`. */
  action: string;
  actor: { type: 'customer' | 'partner' | 'admin' | 'system' | 'anonymous'; id?: string };
  channel?: string;
  requestId?: string;
  subject: { type: string; id: string };
  tenantId?: string;
  /** References and non-secret facts only: never a PAN, CVC, code, token or secret. */
  data?: Record<string, unknown>;
}

/** Append one audit event inside the caller's transaction. */
export async function recordEvent(tx: Tx, e: AuditEvent): Promise<string> {
  if (!/^[a-z_]+\.[a-z_]+$/.test(e.action)) throw new Error(`audit action ${e.action} is not noun.past_verb`);
  const id = newId('evt');
  await tx.query(
    `INSERT INTO audit_events (id, action, actor_type, actor_id, channel, request_id, subject_type, subject_id, tenant_id, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [id, e.action, e.actor.type, e.actor.id ?? null, e.channel ?? null, e.requestId ?? null, e.subject.type, e.subject.id, e.tenantId ?? null, JSON.stringify(e.data ?? {})],
  );
  return id;
}
