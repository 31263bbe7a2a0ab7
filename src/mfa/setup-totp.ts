import QRCode from 'qrcode';
import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { lockEnrollment, type FlowContext } from '../enrollment/index.js';
import { seal } from '../kernel/crypto.js';
import { newId } from '../kernel/ids.js';
import { loadEnrollmentForMfa } from './load-enrollment-for-mfa.js';
import { mfaErrors } from './errors.js';
import { hasActiveFactor, insertFactor } from './repository.js';
import { newTotpSecret, totpUri } from './totp.js';

export interface TotpSetup {
  factor_id: string;
  otpauth_uri: string;
  qr_svg: string;
}

/** Create a pending TOTP factor; the secret leaves the server once, inside the URI and its QR code. */
export async function setupTotp(deps: Pick<Deps, 'db' | 'keys' | 'vault'>, enrollmentId: string, ctx: FlowContext): Promise<TotpSetup> {
  const e = await loadEnrollmentForMfa(deps.db, enrollmentId, ctx.now, deps.vault);
  const secret = newTotpSecret();
  const factorId = newId('mfa', ctx.now.getTime());
  await deps.db.transaction(async (tx) => {
    // Row lock: two setups at once would both supersede-then-insert and collide on the one-pending index.
    await lockEnrollment(tx, e.id, deps.vault);
    // Only the holder of the enrollment id is needed here, so a second factor may not be slipped in beside an
    // active one: adding or replacing an authenticator is a step-up matter (issue 3, part 8).
    if (await hasActiveFactor(tx, e.id)) throw mfaErrors.mfa_factor_exists();
    await insertFactor(tx, { id: factorId, enrollment_id: e.id, secret_sealed: seal(deps.keys.totp, secret), created_at: ctx.now });
    await recordEvent(tx, {
      action: 'mfa.totp_added',
      actor: ctx.actor,
      channel: ctx.channel,
      requestId: ctx.requestId,
      subject: { type: 'enrollment', id: e.id },
      data: { factor_id: factorId },
    });
  });
  const otpauthUri = totpUri(secret, e.profile.email);
  return { factor_id: factorId, otpauth_uri: otpauthUri, qr_svg: await QRCode.toString(otpauthUri, { type: 'svg' }) };
}
