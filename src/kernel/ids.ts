import { randomBytes } from 'node:crypto';

/**
 * Prefixed, time-sortable ids (TypeID style): `enr_01j9…`. 48 bits of
 * milliseconds then 80 random bits, Crockford base32. The random part makes
 * an enrollment id unguessable, which matters: it is the handle a client
 * resumes with.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export type IdPrefix =
  | 'enr' | 'cus' | 'ten' | 'sub' | 'pm' | 'evt' | 'quo' | 'inv' | 'pay' | 'job'
  | 'ver' | 'mem' | 'rol' | 'ses' | 'req' | 'con' | 'tok' | 'card' | 'ch' | 're' | 'msg' | 'lnk';

export function newId(prefix: IdPrefix, now = Date.now()): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(now, 0, 6);
  randomBytes(10).copy(bytes, 6);
  return `${prefix}_${encode(bytes)}`;
}

function encode(bytes: Buffer): string {
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 26; i++) {
    out = ALPHABET[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return out;
}
