import { scopedDb } from '../db/index.js';
import { withStage, type StoredRisk } from './assessment.js';
import { phoneCountry, signalHash, velocity, type RiskDeps } from './assess-profile.js';
import { reason } from './decide.js';
import { emailRiskKey } from './email-key.js';
import type { Signal } from './repository.js';
import { trialTakenWith } from './repository.js';
import type { Reason } from './rules.js';

/** The card signal, recorded when a card is attached (so cards tried and never charged still count). */
export function cardSignal(deps: Pick<RiskDeps, 'keys'>, enrollmentId: string, fingerprint: string, now: Date): Signal {
  return { enrollmentId, kind: 'card', valueHash: signalHash(deps, fingerprint), at: now };
}

/**
 * Screen the payment right before any money moves: card velocity, trial
 * abuse (when the quote is a trial: this card or this email key already had
 * one), and the card's issuing country against the IP's and the phone's.
 */
export async function assessPayment(
  deps: RiskDeps,
  input: {
    enrollmentId: string;
    /** null for a trial started without a card: only the email signals apply. */
    card: { fingerprint: string; country?: string | null } | null;
    emailNormalized: string;
    phone: string | null;
    trial: boolean;
    prev: StoredRisk | null;
    now: Date;
  },
): Promise<StoredRisk> {
  const p = deps.risk;
  const card = input.card ? signalHash(deps, input.card.fingerprint) : null;
  const reasons: Reason[] = card ? [...(await velocity(deps, 'card', card, input.enrollmentId, input.now))] : [];
  if (input.trial) {
    const q = { enrollmentId: input.enrollmentId };
    // Whether any tenant already had a trial with this card or inbox: a scan across tenants, by name.
    const across = scopedDb(deps.db, { system: 'risk-trial-reuse' });
    if (card && p.scores.trial_card_reused > 0 && (await trialTakenWith(across, { ...q, kind: 'card', valueHash: card }))) {
      reasons.push(...reason(p, 'trial_card_reused'));
    }
    const email = signalHash(deps, emailRiskKey(input.emailNormalized));
    if (p.scores.trial_email_reused > 0 && (await trialTakenWith(across, { ...q, kind: 'email', valueHash: email }))) {
      reasons.push(...reason(p, 'trial_email_reused'));
    }
  }
  const cardCountry = input.card?.country ?? null;
  const ipCountry = input.prev?.ip_country ?? null;
  const phone = phoneCountry(input.phone);
  if (cardCountry && ipCountry && cardCountry !== ipCountry) reasons.push(...reason(p, 'country_mismatch_ip_card'));
  if (cardCountry && phone && cardCountry !== phone) reasons.push(...reason(p, 'country_mismatch_phone_card'));
  return withStage(input.prev, 'payment', reasons, p);
}
