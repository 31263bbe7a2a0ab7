import { domainToASCII } from 'node:url';

const LOCAL_ATOM = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+$/u;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export type EmailCheck = { ok: true; email: string; normalized: string } | { ok: false; code: 'invalid_format' };

/**
 * Syntax check plus IDN-aware normalisation: the domain goes to its ASCII
 * (punycode) form, so `anna@bücher.de` and `anna@xn--bcher-kva.de` are one
 * address; case is folded for uniqueness. Quoted local parts are refused:
 * legal in RFC 5321, but they are a fraud signal far more often than a need.
 */
export function normalizeEmail(raw: string): EmailCheck {
  const email = raw.trim().normalize('NFC');
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1 || email.length > 254) return { ok: false, code: 'invalid_format' };
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return { ok: false, code: 'invalid_format' };
  if (!local.split('.').every((atom) => LOCAL_ATOM.test(atom))) return { ok: false, code: 'invalid_format' };
  const ascii = domainToASCII(domain.toLowerCase());
  if (!ascii || ascii.length > 253) return { ok: false, code: 'invalid_format' };
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1])) {
    return { ok: false, code: 'invalid_format' };
  }
  return { ok: true, email, normalized: `${local.toLowerCase()}@${ascii}` };
}
