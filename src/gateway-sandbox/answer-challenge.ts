import { gatewayErrors } from './errors.js';
import type { GatewayContext } from './keys.js';
import { answerChallenge as answer, findChallenge, type ChallengeRow } from './repository.js';

/**
 * The cardholder's answer to a 3-D Secure challenge (the sandbox's ACS): once,
 * pending → succeeded or failed, and only before its deadline. It moves no
 * money: the merchant's next call with the charge's key confirms the payment.
 * The challenge id is 80 random bits, and only its own enrollment's client is ever told it.
 */
export async function answerChallenge(ctx: GatewayContext, id: string, outcome: 'succeeded' | 'failed'): Promise<ChallengeRow> {
  const row = await answer(ctx.db, id, outcome, ctx.clock.now());
  if (row) return row;
  const known = await getChallenge(ctx, id);
  const reason = !known ? 'unknown' : known.status === 'expired' ? 'expired' : 'already_answered';
  throw gatewayErrors.gateway_challenge_unavailable({ extra: { reason } });
}

/**
 * A challenge as its page shows it (amount, currency, status); null when unknown. A pending one past its
 * deadline shows as expired before any merchant call has recorded it so: the deadline is the rule, not the row.
 */
export async function getChallenge(ctx: GatewayContext, id: string): Promise<ChallengeRow | null> {
  const row = await findChallenge(ctx.db, id);
  if (row?.status === 'pending' && row.expires_at <= ctx.clock.now()) return { ...row, status: 'expired' };
  return row;
}
