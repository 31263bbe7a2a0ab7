import type { Deps } from '../deps.js';
import { acceptableFactors } from '../risk/index.js';
import { isExpired } from './advance.js';
import { OPEN_WITH_PROFILE } from './machine.js';
import type { Enrollment } from './repository.js';
import { secondFactorHeld } from './risk-gate.js';
import type { RiskView } from './view.js';

/** Whether the client must still prove a second factor before completing (a challenge not yet met). */
export async function riskView(deps: Pick<Deps, 'db' | 'keys' | 'clock'>, e: Enrollment): Promise<RiskView> {
  const challenged = e.risk?.decision === 'challenge' && OPEN_WITH_PROFILE.includes(e.state) && !isExpired(e, deps.clock.now());
  if (!challenged || (await secondFactorHeld(deps, e))) return { second_factor_required: false, factors: [] };
  return { second_factor_required: true, factors: acceptableFactors(e.profile?.phone) };
}
