export { normalizeEmail } from './normalize-email.js';
export { profileInput, consentInput, type ProfileInput } from './schemas.js';
export { findCustomerIdByEmail, insertCustomer, getCustomer } from './repository.js';
export { ISO_COUNTRIES } from './countries.js';
