import { recordEvent } from '../audit/index.js';
import { findCustomerIdByEmailHash, normalizeEmail } from '../customers/index.js';
import type { Deps } from '../deps.js';
import { enqueueJob } from '../jobs/index.js';
import { hmac } from '../kernel/crypto.js';
import { countSignInLinkJobs } from './repository.js';

/** Links a customer may be sent per hour: enough for a lost email or two, too few to flood an inbox. */
export const SIGN_IN_LINKS_PER_HOUR = 3;

/**
 * "Email me a sign-in link", for a customer with no passkey at hand: the welcome email's link is single-use and
 * short-lived, and without this a customer who skipped the passkey could never sign in again.
 *
 * The caller learns nothing from the answer: an unknown address, a known one and one over its hourly allowance all
 * get the same 202, after the same lookup and count (a stand-in count for an unknown one). A known address adds two
 * inserts to that transaction (the job and its audit row: well under a millisecond), a difference the per-IP rate
 * limit keeps anyone from sampling at scale. The job carries the customer's id only: the link itself is minted when
 * the email is sent, so no row ever holds a usable secret.
 */
export async function requestSignInLink(deps: Pick<Deps, 'db' | 'keys'>, input: { email: string; now: Date; requestId?: string }): Promise<void> {
  const email = normalizeEmail(input.email);
  const emailHash = hmac(deps.keys.lookup, email.ok ? email.normalized : `invalid:${input.email}`);
  // An address belongs to one customer across all tenants: looking it up is system work, by name.
  await deps.db.transaction(async (tx) => {
    const customerId = await findCustomerIdByEmailHash(tx, emailHash);
    const sent = await countSignInLinkJobs(tx, customerId ?? '', new Date(input.now.getTime() - 3_600_000));
    if (!customerId) return;
    if (sent >= SIGN_IN_LINKS_PER_HOUR) {
      await recordEvent(tx, { action: 'session.sign_in_link_refused', actor: { type: 'anonymous' }, requestId: input.requestId, subject: { type: 'customer', id: customerId }, data: { reason: 'hourly_limit' } });
      return;
    }
    const jobId = await enqueueJob(tx, 'send-sign-in-link', { customer_id: customerId });
    await recordEvent(tx, { action: 'session.sign_in_link_requested', actor: { type: 'anonymous' }, requestId: input.requestId, subject: { type: 'customer', id: customerId }, data: { job_id: jobId } });
  }, { system: 'sign-in-link' });
}
