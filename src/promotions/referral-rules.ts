import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CatalogError, readConfigJson } from '../pricing/index.js';

export const DEFAULT_REFERRALS_PATH = fileURLToPath(new URL('../../config/referrals.json', import.meta.url));

const schema = z
  .object({
    /** The new customer's discount on their first invoice. */
    referee: z.object({ percent_off: z.number().int().min(1).max(100) }).strict(),
    /** The referrer's account credit per successful referral, per currency (minor units; never converted). */
    referrer: z.object({ credit: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().int().positive()) }).strict(),
    /** Rewards stop after this many, so a leaked code cannot mint unlimited credit. */
    max_rewards_per_referrer: z.number().int().positive(),
  })
  .strict();

export type ReferralRules = Readonly<z.output<typeof schema>>;

/** Referral rules (config/referrals.json), validated at boot. */
export function loadReferralRules(path: string = DEFAULT_REFERRALS_PATH): ReferralRules {
  const parsed = schema.safeParse(readConfigJson(path));
  if (!parsed.success) throw new CatalogError(path, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return Object.freeze(parsed.data);
}
