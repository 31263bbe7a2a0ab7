import { getCustomer } from '../customers/index.js';
import type { Deps } from '../deps.js';
import { findEnrollment } from '../enrollment/index.js';

// The one place this module reads personal data: through the owning modules' functions, so whatever they do to
// read it (the PII vault's decryption) applies here too.

/** The customer's profile (email, names, locale, country), or null. */
export function readCustomer(deps: Pick<Deps, 'db' | 'vault'>, id: string) {
  return getCustomer(deps.db, id, deps.vault);
}

/** An enrollment with its profile and consents, or null. */
export function readEnrollment(deps: Pick<Deps, 'db' | 'vault'>, id: string) {
  return findEnrollment(deps.db, id, deps.vault);
}
