import { defineErrors } from '../kernel/errors.js';

export const enrollmentErrors = defineErrors({
  enrollment_not_found: { status: 404, title: 'No such enrollment' },
  enrollment_invalid_transition: { status: 409, title: 'This step is not possible now' },
  enrollment_expired: { status: 410, title: 'This enrollment has expired; start a new one' },
  enrollment_conflict: { status: 409, title: 'The enrollment changed concurrently; retry' },
  enrollment_consent_required: { status: 422, title: 'Required consents are missing' },
  enrollment_email_unavailable: { status: 409, title: 'This email address cannot be used for a new account' },
});
