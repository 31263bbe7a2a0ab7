import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Db } from '../db/index.js';
import { hmac } from '../kernel/crypto.js';
import { withStage, type StoredRisk } from './assessment.js';
import type { ClientSignals } from './client-signals.js';
import { reason } from './decide.js';
import { isDisposableEmail } from './disposable.js';
import { emailRiskKey } from './email-key.js';
import { listed, type RiskPolicy } from './policy.js';
import { countRecent, type Signal } from './repository.js';
import { HEADLESS_UA, type Reason, type VelocityKind } from './rules.js';

export interface RiskDeps {
  db: Db;
  keys: { lookup: Buffer };
  risk: RiskPolicy;
}

/** Velocity of one signal: fires once `max` other enrollments used it within the window. */
export async function velocity(deps: RiskDeps, kind: VelocityKind, valueHash: string, enrollmentId: string, now: Date): Promise<Reason[]> {
  const code = `velocity_${kind}` as const;
  if (deps.risk.scores[code] === 0) return [];
  const { max, windowSeconds } = deps.risk.velocity[kind];
  const n = await countRecent(deps.db, { kind, valueHash, enrollmentId, now, windowSeconds });
  return n >= max ? reason(deps.risk, code) : [];
}

export function phoneCountry(e164: string | null | undefined): string | null {
  return (e164 && parsePhoneNumberFromString(e164)?.country) || null;
}

/** The keyed hash a signal is stored and compared under: the table never holds an address, IP or device id. */
export const signalHash = (deps: Pick<RiskDeps, 'keys'>, value: string) => hmac(deps.keys.lookup, value);

/**
 * Screen a profile: lists, disposable email, velocity of the email (and, from
 * the customer's own client, of the IP and device), IP vs phone country, and
 * bot signals. Returns the enrollment's new risk and the signals to record.
 */
export async function assessProfile(
  deps: RiskDeps,
  input: { enrollmentId: string; startedAt: Date; emailNormalized: string; phone: string | null; client?: ClientSignals; prev: StoredRisk | null; now: Date },
): Promise<{ risk: StoredRisk; signals: Signal[] }> {
  const { client, now, enrollmentId } = input;
  const p = deps.risk;
  const emailKey = signalHash(deps, emailRiskKey(input.emailNormalized));
  const signals: Signal[] = [{ enrollmentId, kind: 'email', valueHash: emailKey, at: now }];
  if (client) signals.push({ enrollmentId, kind: 'ip', valueHash: signalHash(deps, client.ip), at: now });
  if (client?.deviceId) signals.push({ enrollmentId, kind: 'device', valueHash: signalHash(deps, client.deviceId), at: now });

  const who = { email: input.emailNormalized, ip: client?.ip };
  const reasons: Reason[] = [
    ...(listed(p.blocklist, who) ? reason(p, 'blocklisted') : []),
    ...(listed(p.allowlist, who) ? reason(p, 'allowlisted') : []),
    ...(isDisposableEmail(input.emailNormalized) ? reason(p, 'email_disposable') : []),
  ];
  for (const s of signals) reasons.push(...(await velocity(deps, s.kind, s.valueHash, enrollmentId, now)));
  const phone = phoneCountry(input.phone);
  if (client?.ipCountry && phone && client.ipCountry !== phone) reasons.push(...reason(p, 'country_mismatch_ip_phone'));
  if (client) {
    const seconds = (now.getTime() - input.startedAt.getTime()) / 1000;
    if (p.minFormSeconds > 0 && seconds < p.minFormSeconds) reasons.push(...reason(p, 'bot_form_too_fast'));
    if (client.userAgent && HEADLESS_UA.test(client.userAgent)) reasons.push(...reason(p, 'bot_headless_ua'));
  }
  return { risk: withStage(input.prev, 'profile', reasons, p, { ip_country: client?.ipCountry ?? null }), signals };
}
