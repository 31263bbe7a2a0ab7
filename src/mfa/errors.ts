import { defineErrors } from '../kernel/errors.js';

export const mfaErrors = defineErrors({
  mfa_code_invalid: { status: 422, title: 'The authenticator code is not correct' },
  mfa_code_replayed: { status: 422, title: 'This authenticator code was already used; wait for the next one' },
  mfa_attempts_exceeded: { status: 429, title: 'Too many wrong authenticator codes; try again later' },
  mfa_factor_not_found: { status: 404, title: 'No such authenticator for this enrollment' },
  mfa_factor_exists: { status: 409, title: 'An authenticator is already active for this enrollment' },
});
