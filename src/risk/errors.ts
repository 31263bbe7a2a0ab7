import { defineErrors } from '../kernel/errors.js';

// Deliberately generic: a refused caller learns that it was refused, never which rule fired (that would teach
// a fraudster what to change). The reasons are in the audit trail and the admin view.
export const riskErrors = defineErrors({
  risk_denied: { status: 403, title: 'This enrollment cannot be completed' },
  // 409, not 403: the enrollment lacks something the customer can add. A 409 is not kept by the idempotency store,
  // so the same completion request (same Idempotency-Key) succeeds once the factor is proven.
  risk_second_factor_required: { status: 409, title: 'A second factor is required before completion' },
  risk_review_pending: { status: 409, title: 'This enrollment is being reviewed; it continues once approved' },
});
