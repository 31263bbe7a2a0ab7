import { describe, expect, it } from 'vitest';
import { totpCode, verifyTotp, type TotpAlgorithm } from './totp.js';

// RFC 6238 Appendix B: each algorithm with the seed length its HMAC calls for.
const SEEDS: Record<TotpAlgorithm, Uint8Array> = {
  sha1: new TextEncoder().encode('12345678901234567890'),
  sha256: new TextEncoder().encode('12345678901234567890123456789012'),
  sha512: new TextEncoder().encode('1234567890123456789012345678901234567890123456789012345678901234'),
};

const VECTORS: [time: number, algorithm: TotpAlgorithm, code: string][] = [
  [59, 'sha1', '94287082'], [59, 'sha256', '46119246'], [59, 'sha512', '90693936'],
  [1111111109, 'sha1', '07081804'], [1111111109, 'sha256', '68084774'], [1111111109, 'sha512', '25091201'],
  [1111111111, 'sha1', '14050471'], [1111111111, 'sha256', '67062674'], [1111111111, 'sha512', '99943326'],
  [1234567890, 'sha1', '89005924'], [1234567890, 'sha256', '91819424'], [1234567890, 'sha512', '93441116'],
  [2000000000, 'sha1', '69279037'], [2000000000, 'sha256', '90698825'], [2000000000, 'sha512', '38618901'],
  [20000000000, 'sha1', '65353130'], [20000000000, 'sha256', '77737706'], [20000000000, 'sha512', '47863826'],
];

describe('RFC 6238 Appendix B test vectors, through the module\'s TOTP code path', () => {
  it('has all 18 vectors', () => expect(VECTORS).toHaveLength(18));

  it('seeds have the lengths the RFC uses (20, 32, 64 bytes)', () => {
    expect([SEEDS.sha1.length, SEEDS.sha256.length, SEEDS.sha512.length]).toEqual([20, 32, 64]);
  });

  it.each(VECTORS)('T=%i %s → %s', async (time, algorithm, code) => {
    const at = new Date(time * 1000);
    expect(await totpCode(SEEDS[algorithm], at, { algorithm, digits: 8 })).toBe(code);
    const verified = await verifyTotp(SEEDS[algorithm], code, at, { algorithm, digits: 8 });
    expect(verified).toEqual({ valid: true, step: Math.floor(time / 30) });
  });
});
