import { z } from 'zod';

export const erasureInput = z.object({ regime: z.enum(['gdpr', 'ccpa']).optional() }).strict();

export const erasureView = z.object({
  id: z.string(),
  customer_id: z.string(),
  regime: z.enum(['gdpr', 'ccpa']),
  status: z.enum(['pending', 'completed']),
  requested_at: z.string(),
  due_at: z.string(),
});
