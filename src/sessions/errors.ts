import { defineErrors } from '../kernel/errors.js';

export const sessionErrors = defineErrors({
  session_required: { status: 401, title: 'Sign in first' },
  session_step_up_required: { status: 403, title: 'Confirm it is you again (passkey or one-time code) to make this change' },
  session_step_up_factor_unavailable: { status: 403, title: 'This way of confirming is not available for your account; use one of the factors offered' },
});
