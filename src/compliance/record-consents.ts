import type { Tx } from '../db/index.js';
import { newId } from '../kernel/ids.js';

/** Append one consent record per purpose, bound to the customer once one exists; one statement. */
export async function recordConsents(
  tx: Tx,
  input: { enrollmentId: string; customerId: string; tenantId: string; channel: string; requestId?: string; now: Date; consents: { purpose: string; granted: boolean; policy_version: string }[] },
): Promise<void> {
  if (input.consents.length === 0) return;
  const params: unknown[] = [input.enrollmentId, input.customerId, input.tenantId, input.channel, input.requestId ?? null, input.now];
  const rows = input.consents.map((c) => {
    params.push(newId('con'), c.purpose, c.granted, c.policy_version);
    const n = params.length;
    return `($${n - 3}, $1, $2, $3, $${n - 2}, $${n - 1}, $${n}, $4, $5, $6)`;
  });
  await tx.query(
    `INSERT INTO consent_records (id, enrollment_id, customer_id, tenant_id, purpose, granted, policy_version, channel, request_id, recorded_at)
     VALUES ${rows.join(', ')}`,
    params,
  );
}
