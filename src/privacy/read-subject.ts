import { getCustomer } from '../customers/index.js';
import type { Deps } from '../deps.js';
import { findEnrollment } from '../enrollment/index.js';

// The one place this module reads personal data: through the owning modules' functions, so whatever they do to
// read it (the PII vault's decryption) applies here too. Merging the vault means changing only these two calls.

/** The customer's profile (email, names, locale, country), or null. */
export function readCustomer(deps: Pick<Deps, 'db'>, id: string) {
  return getCustomer(deps.db, id);
}

/** An enrollment with its profile and consents, or null. */
export function readEnrollment(deps: Pick<Deps, 'db'>, id: string) {
  return findEnrollment(deps.db, id);
}
