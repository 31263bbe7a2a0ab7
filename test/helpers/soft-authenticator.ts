import { createHash, createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A software FIDO2 authenticator for HTTP-level tests: ES256 keys, "none"
 * attestation, a real signature counter. It builds the same bytes a browser
 * hands to navigator.credentials' caller, so the server's verifier runs in
 * full; the real-browser ceremony is proven separately in Chromium.
 */
export function createSoftAuthenticator(opts: { origin: string; rpId: string }) {
  const creds = new Map<string, { privateKey: KeyObject; counter: number }>();
  let userVerified = true;
  const rpIdHash = createHash('sha256').update(opts.rpId).digest();
  const flags = (extra: number) => Buffer.from([0x01 | (userVerified ? 0x04 : 0) | extra]); // UP, UV
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const clientData = (type: string, challenge: string, origin = opts.origin) =>
    Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));

  return {
    setUserVerified(v: boolean) {
      userVerified = v;
    },
    /** Pretend the authenticator's counter is at `n` (a cloned key that lags behind). */
    setCounter(credentialId: string, n: number) {
      creds.get(credentialId)!.counter = n;
    },
    create(options: { challenge: string }, o: { origin?: string } = {}) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwk = publicKey.export({ format: 'jwk' });
      const cose = new Map<number, number | Uint8Array>([
        [1, 2], [3, -7], [-1, 1],
        [-2, isoBase64URL.toBuffer(jwk.x!)], [-3, isoBase64URL.toBuffer(jwk.y!)],
      ]);
      const id = randomBytes(16);
      const idLen = Buffer.alloc(2);
      idLen.writeUInt16BE(id.length);
      const authData = Buffer.concat([rpIdHash, flags(0x40), u32(0), Buffer.alloc(16), idLen, id, Buffer.from(isoCBOR.encode(cose as never))]);
      const attestationObject = isoCBOR.encode(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]) as never);
      const credentialId = isoBase64URL.fromBuffer(id);
      creds.set(credentialId, { privateKey, counter: 0 });
      return {
        id: credentialId,
        rawId: credentialId,
        type: 'public-key' as const,
        response: {
          clientDataJSON: isoBase64URL.fromBuffer(clientData('webauthn.create', options.challenge, o.origin)),
          attestationObject: isoBase64URL.fromBuffer(attestationObject),
          transports: ['internal'],
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform' as const,
      };
    },
    get(options: { challenge: string }, credentialId: string, o: { origin?: string } = {}) {
      const c = creds.get(credentialId)!;
      c.counter += 1;
      const authData = Buffer.concat([rpIdHash, flags(0), u32(c.counter)]);
      const cd = clientData('webauthn.get', options.challenge, o.origin);
      const signature = createSign('sha256').update(Buffer.concat([authData, createHash('sha256').update(cd).digest()])).sign(c.privateKey);
      return {
        id: credentialId,
        rawId: credentialId,
        type: 'public-key' as const,
        response: {
          clientDataJSON: isoBase64URL.fromBuffer(cd),
          authenticatorData: isoBase64URL.fromBuffer(authData),
          signature: isoBase64URL.fromBuffer(signature),
        },
        clientExtensionResults: {},
      };
    },
  };
}
