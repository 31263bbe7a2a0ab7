import { defineErrors } from '../kernel/errors.js';

export const webhookErrors = defineErrors({
  webhook_signature_invalid: { status: 400, title: 'The webhook signature or timestamp is not valid' },
});
