import { defineErrors } from '../kernel/errors.js';

export const dashboardErrors = defineErrors({
  dashboard_link_invalid: { status: 401, title: 'This sign-in link is invalid, used or expired' },
});
