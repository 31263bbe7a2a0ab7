import { defineErrors } from '../kernel/errors.js';

export const complianceErrors = defineErrors({
  // Also for a customer asking about someone else: whether another customer exists is not theirs to learn.
  compliance_customer_not_found: { status: 404, title: 'No such customer' },
  consent_purpose_unknown: { status: 404, title: 'No such consent purpose' },
  consent_policy_version_outdated: { status: 422, title: 'This is not the current version of the consent text' },
  // Terms and the privacy notice rest on the contract and on a legal duty, not on consent: nothing to withdraw.
  consent_not_withdrawable: { status: 409, title: 'This purpose does not rest on consent and cannot be withdrawn' },
});
