import type { ConsentEvent } from './repository.js';

export interface ConsentStateEntry {
  purpose: string;
  granted: boolean;
  policy_version: string;
  lawful_basis: string;
  channel: string;
  since: Date;
  event_id: string;
}

/** The current state is the newest event per purpose (events come oldest first); a purpose never recorded is absent, i.e. not granted. */
export function deriveConsentState(events: readonly ConsentEvent[]): ConsentStateEntry[] {
  const latest = new Map<string, ConsentEvent>();
  for (const e of events) latest.set(e.purpose, e);
  return [...latest.values()]
    .sort((a, b) => a.purpose.localeCompare(b.purpose))
    .map((e) => ({ purpose: e.purpose, granted: e.granted, policy_version: e.policy_version, lawful_basis: e.lawful_basis, channel: e.channel, since: e.recorded_at, event_id: e.id }));
}
