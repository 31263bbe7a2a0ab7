import { defineErrors } from '../kernel/errors.js';

export const subscriptionErrors = defineErrors({
  subscription_not_found: { status: 404, title: 'No such subscription' },
  subscription_change_invalid: { status: 409, title: 'This change does not apply to the subscription as it is' },
  subscription_change_preview_invalid: { status: 422, title: 'This change preview is unknown or was altered; preview the change again' },
  subscription_change_preview_expired: { status: 422, title: 'This change preview has expired; preview the change again' },
  subscription_change_stale: { status: 409, title: 'The subscription changed since this preview; preview the change again' },
});
