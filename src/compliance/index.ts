export { CONSENT_POLICIES, checkConsents, type ConsentPurpose } from './consent-policies.js';
export { CONSENT_TEXTS, consentText, currentConsentText, LAWFUL_BASES, type LawfulBasis, type ShownText } from './consent-texts.js';
export { recordConsents, withEvidence, type ConsentEvidence, type SubmittedConsent } from './record-consents.js';
export { consentsOf } from './consents-of.js';
export { changeConsent, consentSubjectOf, type ConsentChange } from './change-consent.js';
export { deriveConsentState, type ConsentStateEntry } from './consent-state.js';
export { customersConsentingTo, listConsentEvents, type ConsentEvent, type ConsentSubject } from './repository.js';
export { complianceErrors } from './errors.js';
