export { normalizeEmail } from './normalize-email.js';
export { profileInput, consentInput, type ProfileInput } from './schemas.js';
export { findCustomerIdByEmailHash, insertCustomer, getCustomer, type CustomerProfile } from './repository.js';
export { ISO_COUNTRIES } from './countries.js';
