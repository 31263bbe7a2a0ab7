import { createRequire } from 'node:module';
import { domainMatches } from './policy.js';

// The package ships plain JSON arrays; loaded once (121k domains plus a few hundred wildcard roots).
const require = createRequire(import.meta.url);
const DOMAINS: ReadonlySet<string> = new Set(require('disposable-email-domains') as string[]);
const WILDCARD_ROOTS: ReadonlySet<string> = new Set(require('disposable-email-domains/wildcard.json') as string[]);

/** Whether the address's domain is a throwaway-mail provider, directly or under a wildcard root (`x.33mail.com`). */
export function isDisposableEmail(email: string): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return DOMAINS.has(domain) || domainMatches(WILDCARD_ROOTS, domain);
}
