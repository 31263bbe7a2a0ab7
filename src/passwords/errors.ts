import { defineErrors } from '../kernel/errors.js';

export const passwordErrors = defineErrors({
  password_rejected: { status: 422, title: 'Choose another password' },
  password_sign_in_failed: { status: 401, title: 'The email address or password is wrong' },
});
