import { z } from 'zod';
import { STEPS } from './machine.js';

export const startEnrollmentBody = z
  .object({
    channel: z.literal('web').optional(),
    locale: z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/).optional(),
    country: z.string().length(2).transform((c) => c.toUpperCase()).optional(),
    currency: z.string().regex(/^[A-Za-z]{3}$/).transform((c) => c.toUpperCase()).optional(),
  })
  .strict();

export const verificationBody = z.object({ channel: z.enum(['email', 'sms']) }).strict();
export const confirmBody = z.object({ code: z.string().regex(/^\d{6}$/, 'invalid_format') }).strict();
export const paymentMethodBody = z.object({ token: z.string().max(255).regex(/^tok_[0-9A-Za-z_]+$/, 'invalid_format') }).strict();
// One definition of the plan-selection body: the pricing module owns it (plan, interval, currency, VAT id).
export { selectPlanBody } from '../pricing/index.js';

const stepState = z.enum(['complete', 'pending']);
export const completionResultSchema = z.object({
  status: z.literal('completed'),
  enrollment_id: z.string(),
  customer_id: z.string(),
  tenant_id: z.string(),
  subscription: z.object({
    id: z.string(),
    status: z.enum(['active', 'trialing']),
    current_period_start: z.string(),
    current_period_end: z.string(),
    trial_end: z.string().nullable(),
  }),
  invoice: z.object({ id: z.string(), number: z.string(), total: z.number().int(), currency: z.string(), status: z.string() }),
});

export const enrollmentViewSchema = z
  .object({
    id: z.string(),
    object: z.literal('enrollment'),
    status: z.string(),
    channel: z.string(),
    locale: z.string(),
    steps: z.object(Object.fromEntries(STEPS.map((s) => [s, stepState])) as Record<(typeof STEPS)[number], typeof stepState>),
    next: z.array(z.enum(STEPS)),
    expires_at: z.string(),
    consents_required: z.array(z.object({ purpose: z.string(), policy_version: z.string(), required: z.boolean() })),
    // What the risk engine asks of the client; never why.
    risk: z.object({ second_factor_required: z.boolean(), factors: z.array(z.enum(['passkey', 'totp', 'sms'])) }),
  })
  .passthrough();
