import { defineErrors } from '../kernel/errors.js';

export const channelErrors = defineErrors({
  channel_email_verification_required: { status: 422, title: 'This channel must verify the email address first' },
  channel_external_ref_conflict: { status: 422, title: 'This external_ref was used for a different enrollment' },
  channel_request_in_progress: { status: 409, title: 'An enrollment for this external_ref is in progress' },
});
