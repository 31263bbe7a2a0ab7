import { z } from 'zod';
import { profileInput } from '../../customers/index.js';
import { normalizeLocale } from '../../pricing/index.js';
import type { EnrollmentRequest } from '../enrollment-request.js';

/** The partner's server-to-server payload. */
export const partnerEnrollmentBody = z
  .object({
    external_ref: z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/),
    email_verified: z.boolean().optional(),
    locale: z.string().max(35).optional(),
    profile: profileInput,
    plan: z.object({
      plan_id: z.string().min(1).max(64),
      interval: z.enum(['month', 'year']),
      currency: z.string().regex(/^[A-Za-z]{3}$/).transform((c) => c.toUpperCase()),
    }).strict(),
    payment_method: z.object({ token: z.string().max(255).regex(/^tok_[0-9A-Za-z_]+$/, 'invalid_format') }).strict(),
  })
  .strict();

export type PartnerEnrollmentBody = z.output<typeof partnerEnrollmentBody>;

/** partner payload → the canonical EnrollmentRequest. */
export function fromPartner(body: PartnerEnrollmentBody): EnrollmentRequest {
  return {
    channel: 'partner',
    locale: normalizeLocale(body.locale),
    country: body.profile.country,
    currency: body.plan.currency,
    profile: body.profile,
    emailVerifiedByChannel: body.email_verified === true,
    plan: body.plan,
    paymentToken: body.payment_method.token,
  };
}
