import { BlockList, isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { ISO_COUNTRIES } from '../customers/index.js';
import { addIpEntry } from './policy.js';

/** What the customer's own client tells us besides the form. Only channels whose caller IS the customer carry it. */
export interface ClientSignals {
  ip: string;
  /** From the configured header, and only when the request came through a trusted proxy; else null. */
  ipCountry: string | null;
  userAgent: string | null;
  /** `X-Device-Id`: an id the web client keeps in local storage; optional, ignored unless plain and 8–128 chars. */
  deviceId: string | null;
}

export type ProxyTrust = (address: string) => boolean;

/** Trusted proxies (IPs or CIDRs) as a predicate; also given to Fastify as `trustProxy`, so `req.ip` agrees. */
export function createProxyTrust(entries: readonly string[]): ProxyTrust {
  const list = new BlockList();
  for (const entry of entries) {
    if (!addIpEntry(list, entry)) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP or CIDR`);
  }
  return (address) => {
    const plain = unmapped(address);
    const family = isIP(plain);
    return entries.length > 0 && family !== 0 && list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is `10.0.0.1`. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

const DEVICE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Read the client signals of a request. The country header is anyone's to
 * send: it is believed only when the immediate peer is a trusted proxy (which
 * sets or overwrites it), never from a caller who reached us directly.
 */
export function clientSignals(req: FastifyRequest, opts: { trust: ProxyTrust; countryHeader: string }): ClientSignals {
  const header = (name: string) => {
    const v = req.headers[name];
    return typeof v === 'string' ? v : null;
  };
  const peer = req.socket.remoteAddress ?? '';
  const country = opts.trust(peer) ? header(opts.countryHeader)?.trim().toUpperCase() ?? null : null;
  const device = header('x-device-id');
  return {
    ip: unmapped(req.ip),
    // XX (unknown) and T1 (Tor) are not countries.
    ipCountry: country && ISO_COUNTRIES.has(country) ? country : null,
    userAgent: header('user-agent')?.slice(0, 512) ?? null,
    deviceId: device && DEVICE_ID.test(device) ? device : null,
  };
}
