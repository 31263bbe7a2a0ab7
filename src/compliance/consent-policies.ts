/**
 * The consent texts currently shown, by purpose and version. A client must
 * echo the version it displayed; a stale version is refused so no one
 * "agrees" to a text they never saw.
 */
export const CONSENT_POLICIES = [
  { purpose: 'terms', policy_version: '2026-11-01', required: true },
  { purpose: 'privacy', policy_version: '2026-11-01', required: true },
  { purpose: 'marketing_email', policy_version: '2026-11-01', required: false },
] as const;

export type ConsentPurpose = (typeof CONSENT_POLICIES)[number]['purpose'];

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
