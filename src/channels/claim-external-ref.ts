import type { Deps } from '../deps.js';
import { startEnrollment, type FlowContext } from '../enrollment/index.js';
import { sha256 } from '../kernel/crypto.js';
import { channelErrors } from './errors.js';
import type { EnrollmentRequest } from './enrollment-request.js';

/**
 * One external_ref, one enrollment, per partner. The hash covers who and what
 * is ordered, not the card: a retry after a decline may bring another token.
 */
export async function claimExternalRef(
  deps: Deps,
  input: { partnerId: string; externalRef: string; request: EnrollmentRequest; ctx: FlowContext },
): Promise<string> {
  const { profile, plan } = input.request;
  const hash = sha256(JSON.stringify({ email: profile.email_normalized, given: profile.given_name, family: profile.family_name, plan }));
  const existing = async () => {
    const { rows } = await deps.db.query<{ enrollment_id: string; request_hash: string }>(
      'SELECT enrollment_id, request_hash FROM channel_refs WHERE partner_id = $1 AND external_ref = $2',
      [input.partnerId, input.externalRef],
    );
    const row = rows[0];
    if (row && row.request_hash !== hash) throw channelErrors.channel_external_ref_conflict({ fields: { external_ref: ['conflict'] } });
    return row?.enrollment_id;
  };
  const found = await existing();
  if (found) return found;
  const e = await startEnrollment(deps, { locale: input.request.locale, country: input.request.country, currency: input.request.currency }, input.ctx);
  const { rowCount } = await deps.db.query(
    `INSERT INTO channel_refs (partner_id, external_ref, enrollment_id, request_hash) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [input.partnerId, input.externalRef, e.id, hash],
  );
  if (rowCount === 1) return e.id;
  // Lost the race: the orphan enrollment simply expires; the winner's is the one.
  return (await existing())!;
}
