export { CONSENT_POLICIES, checkConsents, type ConsentPurpose } from './consent-policies.js';
export { recordConsents } from './record-consents.js';
export { consentsOf } from './consents-of.js';
