import { z } from 'zod';

const code = z.string().regex(/^[A-Za-z0-9_-]{3,32}$/, 'invalid_format').transform((c) => c.toUpperCase());

/** Admin input for a coupon; exactly one of percent_off / amount_off. */
export const createCouponBody = z
  .object({
    code,
    percent_off: z.number().int().min(1).max(100).optional(),
    /** Per currency, in minor units: a fixed amount is never converted. */
    amount_off: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().int().positive()).optional(),
    duration: z.enum(['once', 'repeating', 'forever']),
    duration_months: z.number().int().min(1).max(36).optional(),
    plans: z.array(z.string().max(64)).max(50).default([]).describe('Eligible plan ids; empty means every plan'),
    intervals: z.array(z.enum(['month', 'year'])).max(2).default([]).describe('Eligible intervals; empty means both'),
    valid_from: z.iso.datetime().optional(),
    valid_until: z.iso.datetime().optional(),
    max_redemptions: z.number().int().positive().optional(),
  })
  .strict()
  .refine((c) => (c.percent_off === undefined) !== (c.amount_off === undefined), { message: 'exactly_one_of_percent_off_amount_off', path: ['percent_off'] })
  .refine((c) => (c.duration === 'repeating') === (c.duration_months !== undefined), { message: 'duration_months_with_repeating_only', path: ['duration_months'] });

export type CreateCouponInput = z.output<typeof createCouponBody>;

export const couponSchema = z.object({
  code: z.string(),
  percent_off: z.number().int().nullable(),
  amount_off: z.record(z.string(), z.number().int()).nullable(),
  duration: z.enum(['once', 'repeating', 'forever']),
  duration_months: z.number().int().nullable(),
  plans: z.array(z.string()),
  intervals: z.array(z.string()),
  valid_from: z.string().nullable(),
  valid_until: z.string().nullable(),
  max_redemptions: z.number().int().nullable(),
  redeemed: z.number().int(),
});

export const couponCodeParam = code;
