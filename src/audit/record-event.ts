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

const COLUMNS = '(id, action, actor_type, actor_id, channel, request_id, subject_type, subject_id, tenant_id, data)';
const PER_ROW = 10;

/**
 * The rows of an INSERT into audit_events, numbered from `$${first}`. Casts are
 * explicit so the rows can also stand in a `SELECT … FROM (VALUES …)`.
 */
export function auditRows(events: AuditEvent[], first = 1): { values: string; params: unknown[]; columns: string } {
  const params: unknown[] = [];
  const rows = events.map((e, i) => {
    if (!/^[a-z_]+\.[a-z_]+$/.test(e.action)) throw new Error(`audit action ${e.action} is not noun.past_verb`);
    params.push(newId('evt'), e.action, e.actor.type, e.actor.id ?? null, e.channel ?? null, e.requestId ?? null, e.subject.type, e.subject.id, e.tenantId ?? null, JSON.stringify(e.data ?? {}));
    const n = first + i * PER_ROW;
    return `($${n}::text, $${n + 1}::text, $${n + 2}::text, $${n + 3}::text, $${n + 4}::text, $${n + 5}::text, $${n + 6}::text, $${n + 7}::text, $${n + 8}::text, $${n + 9}::jsonb)`;
  });
  return { values: rows.join(', '), params, columns: COLUMNS };
}

/** Append audit events inside the caller's transaction, in one statement. */
export async function recordEvents(tx: Tx, events: AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  const { values, params, columns } = auditRows(events);
  tx.defer(`INSERT INTO audit_events ${columns} VALUES ${values}`, params);
}

/** Append one audit event inside the caller's transaction. */
export async function recordEvent(tx: Tx, e: AuditEvent): Promise<void> {
  await recordEvents(tx, [e]);
}
