import { randomFillSync } from 'node:crypto';

/**
 * Prefixed, time-sortable ids (TypeID style): `enr_01j9…`. 48 bits of
 * milliseconds then 80 random bits, Crockford base32. The random part makes
 * an enrollment id unguessable, which matters: it is the handle a client
 * resumes with.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export type IdPrefix =
  | 'enr' | 'cus' | 'ten' | 'sub' | 'pm' | 'evt' | 'quo' | 'inv' | 'pay' | 'job'
  | 'ver' | 'mem' | 'rol' | 'ses' | 'req' | 'con' | 'tok' | 'card' | 'ch' | 're' | 'msg' | 'lnk' | 'mfa' | 'pky' | 'wch' | 'chg' | 'red' | 'pex' | 'dun' | 'rec' | 'chl' | 'era';

// One CSPRNG call per 4 KiB of ids instead of one per id: ids are minted dozens of times per enrollment.
const pool = Buffer.alloc(4096);
let offset = pool.length;

function random10(): Buffer {
  if (offset + 10 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + 10);
  offset += 10;
  return out;
}

export function newId(prefix: IdPrefix, now = Date.now()): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(now, 0, 6);
  random10().copy(bytes, 6);
  return `${prefix}_${encode(bytes)}`;
}

/** 128 bits → 26 base32 characters (the first carries 3 bits), most significant first. */
function encode(bytes: Buffer): string {
  let out = '';
  let acc = 0;
  let bits = 2; // 26 × 5 = 130: pad two zero bits in front
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0x1fff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >> bits) & 31];
    }
  }
  return out;
}
