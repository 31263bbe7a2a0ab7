import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';
import { ISO_COUNTRIES } from './countries.js';
import { normalizeEmail } from './normalize-email.js';

const name = z.string().trim().min(1).max(100).refine((s) => !/[\u0000-\u001f\u007f<>]/.test(s), 'invalid_characters');

export const consentInput = z.object({
  purpose: z.enum(['terms', 'privacy', 'marketing_email', 'data_sharing']),
  granted: z.boolean(),
  policy_version: z.string().min(1).max(40),
});

/**
 * The profile as every channel submits it. Custom refinements carry their
 * field code as the message (see http/field-codes.ts).
 */
export const profileInput = z
  .object({
    given_name: name,
    family_name: name,
    email: z.string().max(254),
    phone: z.string().max(32).optional().nullable(),
    country: z.string().length(2).transform((c) => c.toUpperCase()).refine((c) => ISO_COUNTRIES.has(c), 'unknown_country'),
    consents: z.array(consentInput).max(10),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (!normalizeEmail(p.email).ok) ctx.addIssue({ code: 'custom', path: ['email'], message: 'invalid_format' });
    if (p.phone) {
      // Numbers without a + are read in the customer's country, then stored as E.164.
      const parsed = parsePhoneNumberFromString(p.phone, ISO_COUNTRIES.has(p.country) ? (p.country as CountryCode) : undefined);
      if (!parsed || !parsed.isValid()) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'invalid_phone' });
    }
  })
  .transform((p) => {
    const email = normalizeEmail(p.email);
    const phone = p.phone ? parsePhoneNumberFromString(p.phone, p.country as CountryCode)!.number : null;
    return { ...p, email: email.ok ? email.email : p.email, email_normalized: email.ok ? email.normalized : '', phone };
  });

export type ProfileInput = z.output<typeof profileInput>;
