import { defineErrors } from '../kernel/errors.js';

export const subscriptionErrors = defineErrors({
  subscription_not_found: { status: 404, title: 'No such subscription' },
  subscription_change_invalid: { status: 409, title: 'This change does not apply to the subscription as it is' },
});
