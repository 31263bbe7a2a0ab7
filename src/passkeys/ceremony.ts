import { decodeAttestationObject, decodeClientDataJSON, isoBase64URL, parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import { recordEvent, type AuditEvent } from '../audit/index.js';
import type { Db } from '../db/index.js';
import { passkeyErrors } from './errors.js';

/** A ceremony must finish within five minutes of its options being issued. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

/** The challenge the browser says it signed; the verifier re-checks it against the one we spend. */
export function challengeOf(clientDataJSON: string): string {
  try {
    const c = decodeClientDataJSON(clientDataJSON);
    if (typeof c.challenge !== 'string' || !c.challenge) throw new Error('no challenge');
    return c.challenge;
  } catch {
    throw passkeyErrors.passkey_verification_failed({ detail: 'clientDataJSON is not readable' });
  }
}

/** Flags and counter of an assertion's or attestation's authenticator data, read before verifying to give precise codes. */
export function authenticatorState(input: { authenticatorData?: string; attestationObject?: string }): { uv: boolean; counter: number } {
  try {
    const bytes = input.attestationObject
      ? decodeAttestationObject(isoBase64URL.toBuffer(input.attestationObject)).get('authData')
      : isoBase64URL.toBuffer(input.authenticatorData!);
    const parsed = parseAuthenticatorData(bytes);
    return { uv: parsed.flags.uv, counter: parsed.counter };
  } catch {
    throw passkeyErrors.passkey_verification_failed({ detail: 'authenticator data is not readable' });
  }
}

/** Failures are audited in their own transaction: the refusal itself rolls nothing back. */
export async function auditFailure(db: Db, e: Omit<AuditEvent, 'action'> & { action?: string }, reason: string) {
  await db.transaction((tx) => recordEvent(tx, { ...e, action: e.action ?? 'passkey.failed', data: { ...e.data, reason } }));
}
