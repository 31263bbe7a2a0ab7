import type { Deps } from '../deps.js';
import { advance } from './advance.js';
import type { FlowContext } from './context.js';
import { loadEnrollment } from './load-enrollment.js';
import type { Enrollment } from './repository.js';

/**
 * A channel vouches that it verified the address itself. Whether a channel may
 * do so is decided by channels/policy.ts, never here.
 */
export async function attestEmail(deps: Pick<Deps, 'db' | 'vault'>, id: string, ctx: FlowContext): Promise<Enrollment> {
  return deps.db.transaction(async (tx) => {
    const e = await loadEnrollment(tx, id, deps.vault);
    return advance(tx, e, { event: 'attest_email', audit: { action: 'enrollment.email_attested', data: { attested_by: ctx.channel, actor_id: ctx.actor.id } } }, ctx);
  });
}
