import type { Tx } from '../db/index.js';
import { newId } from '../kernel/ids.js';

/** Append one consent record per purpose, bound to the customer once one exists. */
export async function recordConsents(
  tx: Tx,
  input: { enrollmentId: string; customerId: string; tenantId: string; channel: string; requestId?: string; now: Date; consents: { purpose: string; granted: boolean; policy_version: string }[] },
): Promise<void> {
  for (const c of input.consents) {
    await tx.query(
      `INSERT INTO consent_records (id, enrollment_id, customer_id, tenant_id, purpose, granted, policy_version, channel, request_id, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [newId('con'), input.enrollmentId, input.customerId, input.tenantId, c.purpose, c.granted, c.policy_version, input.channel, input.requestId ?? null, input.now],
    );
  }
}
