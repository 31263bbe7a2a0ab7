import { BlockList, isIP } from 'node:net';
import type { Config } from '../config/index.js';
import { emailRiskKey } from './email-key.js';
import { DEFAULT_SCORES, DEFAULT_VELOCITY, REASON_CODES, VELOCITY_KINDS, type ReasonCode, type VelocityKind } from './rules.js';

/** A manual list: exact emails, domains (with their subdomains) and IPs or CIDRs. */
export interface RiskList {
  emails: Set<string>;
  domains: Set<string>;
  ips: BlockList;
}

/** The rule set in force: defaults from rules.ts, overridden by config. Built once, in createDeps. */
export interface RiskPolicy {
  scores: Record<ReasonCode, number>;
  thresholds: { challenge: number; review: number; deny: number };
  velocity: Record<VelocityKind, { max: number; windowSeconds: number }>;
  minFormSeconds: number;
  allowlist: RiskList;
  blocklist: RiskList;
}

/** Validates the overrides (a typo in a rule name must not silently leave the default in force). */
export function loadRiskPolicy(risk: Config['risk']): RiskPolicy {
  for (const code of Object.keys(risk.scores)) {
    if (!REASON_CODES.includes(code as ReasonCode)) throw new Error(`RISK_SCORES: unknown rule ${code}`);
  }
  for (const kind of Object.keys(risk.velocity)) {
    if (!VELOCITY_KINDS.includes(kind as VelocityKind)) throw new Error(`RISK_VELOCITY: unknown signal ${kind}`);
  }
  return Object.freeze({
    scores: { ...DEFAULT_SCORES, ...risk.scores } as Record<ReasonCode, number>,
    thresholds: risk.thresholds,
    velocity: { ...DEFAULT_VELOCITY, ...risk.velocity },
    minFormSeconds: risk.minFormSeconds,
    allowlist: parseList(risk.allowlist, 'RISK_ALLOWLIST'),
    blocklist: parseList(risk.blocklist, 'RISK_BLOCKLIST'),
  });
}

/** Add an IP or CIDR to the block list; false when the entry is neither. */
export function addIpEntry(ips: BlockList, entry: string): boolean {
  const [address, prefix] = entry.split('/');
  const family = isIP(address);
  if (!family) return false;
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (prefix === undefined) ips.addAddress(address, type);
  else ips.addSubnet(address, Number(prefix), type);
  return true;
}

export function parseList(entries: string[], name: string): RiskList {
  const list: RiskList = { emails: new Set(), domains: new Set(), ips: new BlockList() };
  for (const raw of entries) {
    const entry = raw.toLowerCase();
    if (addIpEntry(list.ips, entry)) continue;
    if (entry.includes('@') && !entry.startsWith('@')) list.emails.add(emailRiskKey(entry));
    else if (/^@?[a-z0-9.-]+\.[a-z0-9-]+$/.test(entry)) list.domains.add(entry.replace(/^@/, ''));
    else throw new Error(`${name}: cannot read "${raw}" (an email, @domain, IP or CIDR)`);
  }
  return list;
}

/**
 * Whether an email or an IP is on the list. Emails compare by their risk key, so a listed address also covers its
 * `+tag` variants (and dot variants at Gmail); a domain covers its subdomains.
 */
export function listed(list: RiskList, input: { email?: string | null; ip?: string | null }): boolean {
  if (input.email) {
    if (list.emails.has(emailRiskKey(input.email))) return true;
    const domain = input.email.slice(input.email.lastIndexOf('@') + 1);
    if (domainMatches(list.domains, domain)) return true;
  }
  if (input.ip) {
    const family = isIP(input.ip);
    if (family && list.ips.check(input.ip, family === 6 ? 'ipv6' : 'ipv4')) return true;
  }
  return false;
}

/** `a.b.example.com` matches an entry `example.com` (and `b.example.com`). */
export function domainMatches(domains: ReadonlySet<string>, domain: string): boolean {
  const labels = domain.split('.');
  for (let i = 0; i < labels.length - 1; i++) if (domains.has(labels.slice(i).join('.'))) return true;
  return false;
}
