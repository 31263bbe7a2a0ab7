import { z } from 'zod';

/**
 * Shape only. Card rules (Luhn, expiry, CVC length per brand) are domain rules
 * in tokenizeCard, so direct callers get the same field codes as HTTP clients.
 */
export const tokenizeCardBody = z.object({
  number: z.string().min(1).max(64),
  exp_month: z.number().int(),
  exp_year: z.number().int(),
  cvc: z.string().max(8),
});

export const tokenResponse = z.object({
  id: z.string(),
  card: z.object({
    brand: z.string(),
    last4: z.string(),
    exp_month: z.number().int(),
    exp_year: z.number().int(),
  }),
});

export const challengeParams = z.object({ id: z.string().min(1).max(64) });
export const answerChallengeBody = z.object({ outcome: z.enum(['succeeded', 'failed']) });
export const challengeResponse = z.object({ id: z.string(), status: z.enum(['pending', 'succeeded', 'failed', 'expired']) });

/** The hosted pages' query: the parent's origin (checked against the allow-list) and a BCP 47 locale. */
export const hostedQuery = z.object({ parent_origin: z.string().max(256), locale: z.string().max(35).optional() });
