import { defineErrors } from '../kernel/errors.js';

export const passkeyErrors = defineErrors({
  passkey_challenge_invalid: { status: 400, title: 'This passkey challenge is unknown, used or expired; ask for new options' },
  passkey_user_verification_required: { status: 400, title: 'The authenticator did not verify you (biometric or device PIN)' },
  passkey_verification_failed: { status: 400, title: 'The passkey response could not be verified' },
  passkey_already_registered: { status: 409, title: 'This passkey is already registered' },
  passkey_sign_in_failed: { status: 401, title: 'Passkey sign-in failed' },
  passkey_sign_count_invalid: { status: 401, title: 'This passkey reported a signature counter that went backwards; it may be a copy' },
});
