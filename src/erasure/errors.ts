import { defineErrors } from '../kernel/errors.js';

export const erasureErrors = defineErrors({
  // Also for someone else's id: a customer learns nothing about other customers, not even that they exist.
  erasure_customer_not_found: { status: 404, title: 'No such customer' },
});
