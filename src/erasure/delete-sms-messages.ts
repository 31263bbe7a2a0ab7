import { getCustomer } from '../customers/index.js';
import type { Deps } from '../deps.js';
import { findEnrollment } from '../enrollment/index.js';
import { hashAddress } from '../notifications/index.js';
import { smsMessagesSentTo } from './repository.js';

/**
 * Has the SMS provider delete every text Enroll sent to the person, before their keys are shredded: the phone
 * numbers are readable only until then. Each deletion is idempotent, so a retried job deletes again without
 * failing. Returns how many messages are now gone at the provider.
 */
export async function deleteSmsMessages(deps: Pick<Deps, 'db' | 'vault' | 'keys' | 'sms'>, customerId: string, subjects: string[]): Promise<number> {
  // The customer's number and each enrollment's: a first try may have been made with another phone.
  const phones = new Set<string>();
  const customer = await getCustomer(deps.db, customerId, deps.vault);
  if (customer?.phone) phones.add(customer.phone);
  for (const s of subjects) {
    const phone = (await findEnrollment(deps.db, s, deps.vault))?.profile?.phone;
    if (phone) phones.add(phone);
  }
  // SMS rows were hashed from the E.164 number (src/enrollment/sms-jobs.ts) with the lookup key.
  const ids = await smsMessagesSentTo(deps.db, [...phones].map((p) => hashAddress(deps.keys.lookup, p)), subjects);
  if (ids.length === 0) return 0;
  // Reported complete while the provider still holds the texts would be a false erasure: fail, and retry once configured.
  if (!deps.sms) throw new Error('no SmsSender configured: the texts sent to this person cannot be deleted');
  for (const id of ids) await deps.sms.deleteMessage(id);
  return ids.length;
}
