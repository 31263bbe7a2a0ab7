import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { SESSION_COOKIE } from './cookie.js';
import { sessionErrors } from './errors.js';
import { findSession } from './find-session.js';
import type { SessionRow } from './repository.js';
import { stepUpFactorsOf } from './step-up-factors.js';

/** How recent a step-up must be for a sensitive change. */
export const STEP_UP_MAX_AGE_MS = 5 * 60_000;

export async function currentSession(deps: Pick<Deps, 'db' | 'keys' | 'clock'>, req: FastifyRequest): Promise<SessionRow | null> {
  return findSession(deps.db, req.cookies[SESSION_COOKIE], deps.keys.sessions, deps.clock.now());
}

/** The live session, or 401 session_required. */
export async function requireSession(deps: Pick<Deps, 'db' | 'keys' | 'clock'>, req: FastifyRequest): Promise<SessionRow> {
  const s = await currentSession(deps, req);
  if (!s) throw sessionErrors.session_required();
  return s;
}

/** The live session, stepped up within the last five minutes, or 403 session_step_up_required naming the factors this customer can use. */
export async function requireSteppedUpSession(deps: Pick<Deps, 'db' | 'keys' | 'clock'>, req: FastifyRequest): Promise<SessionRow> {
  const s = await requireSession(deps, req);
  const now = deps.clock.now().getTime();
  if (!s.stepped_up_at || now - s.stepped_up_at.getTime() > STEP_UP_MAX_AGE_MS) {
    throw sessionErrors.session_step_up_required({ extra: { factors: await stepUpFactorsOf(deps.db, s.customer_id) } });
  }
  return s;
}
