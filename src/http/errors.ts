import { defineErrors } from '../kernel/errors.js';

export const httpErrors = defineErrors({
  request_validation_failed: { status: 422, title: 'The request has invalid fields' },
  request_malformed: { status: 400, title: 'The request body could not be parsed' },
  request_unsupported_media_type: { status: 415, title: 'Send application/json' },
  request_too_large: { status: 413, title: 'The request body is too large' },
  route_not_found: { status: 404, title: 'No such route' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  auth_required: { status: 401, title: 'Authentication required' },
  auth_forbidden: { status: 403, title: 'Not allowed' },
  rate_limited: { status: 429, title: 'Too many requests' },
  idempotency_key_reused: { status: 422, title: 'This Idempotency-Key was used with another request' },
  idempotency_request_in_progress: { status: 409, title: 'A request with this Idempotency-Key is in progress' },
  idempotency_key_invalid: { status: 400, title: 'Idempotency-Key must be printable, at most 255 characters, and 16 or more without credentials' },
  internal_error: { status: 500, title: 'Something went wrong on our side' },
  service_unavailable: { status: 503, title: 'The service is temporarily unavailable' },
});
