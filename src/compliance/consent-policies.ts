import { CONSENT_TEXTS } from './consent-texts.js';

/**
 * The consent texts currently shown, by purpose and version (config/consent-texts.json). A client must
 * echo the version it displayed; a stale version is refused so no one "agrees" to a text they never saw.
 */
export const CONSENT_POLICIES: readonly { purpose: string; policy_version: string; required: boolean }[] = Object.entries(CONSENT_TEXTS).map(
  ([purpose, p]) => ({ purpose, policy_version: p.current, required: p.required }),
);

export type ConsentPurpose = string;

/** Field codes for consents that do not satisfy the current policies. */
export function checkConsents(given: { purpose: string; granted: boolean; policy_version: string }[]): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const policy of CONSENT_POLICIES) {
    const c = given.find((g) => g.purpose === policy.purpose);
    const key = `consents.${policy.purpose}`;
    if (c && c.policy_version !== policy.policy_version) fields[key] = ['policy_version_outdated'];
    else if (policy.required && (!c || !c.granted)) fields[key] = ['required'];
  }
  const seen = new Set<string>();
  for (const g of given) {
    if (seen.has(g.purpose)) fields[`consents.${g.purpose}`] = ['duplicate'];
    seen.add(g.purpose);
  }
  return fields;
}
