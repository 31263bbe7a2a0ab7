import { z } from 'zod';

export const confirmTotpBody = z
  .object({
    code: z.string().regex(/^\d{6}$/, 'invalid_format'),
    // Optional: without it, the enrollment's newest factor is meant.
    factor_id: z.string().regex(/^mfa_[0-9a-z]{26}$/, 'invalid_format').optional(),
  })
  .strict();

export const totpSetupSchema = z.object({
  factor_id: z.string(),
  otpauth_uri: z.string(),
  qr_svg: z.string(),
});

export const totpConfirmationSchema = z.object({
  factor_id: z.string(),
  status: z.literal('active'),
  activated_at: z.string(),
});
