import { defineErrors } from '../kernel/errors.js';

export const identityErrors = defineErrors({
  identity_code_invalid: { status: 422, title: 'The code is not correct' },
  identity_code_expired: { status: 422, title: 'The code has expired; request a new one' },
  identity_code_not_requested: { status: 409, title: 'No code has been sent yet' },
  identity_code_attempts_exceeded: { status: 429, title: 'Too many wrong codes; request a new one' },
  identity_resend_limited: { status: 429, title: 'Please wait before requesting another code' },
  identity_phone_required: { status: 422, title: 'Add a phone number to the profile to get a code by SMS' },
  identity_channel_unsupported: { status: 422, title: 'This verification channel is not available' },
  identity_phone_not_mobile: { status: 422, title: 'SMS codes go only to mobile numbers; use email or another number' },
  identity_phone_country_unsupported: { status: 422, title: 'SMS codes are not sent to numbers of this country; use email or another number' },
});
