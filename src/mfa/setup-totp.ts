import QRCode from 'qrcode';
import { recordEvent } from '../audit/index.js';
import type { Deps } from '../deps.js';
import type { FlowContext } from '../enrollment/index.js';
import { seal } from '../kernel/crypto.js';
import { newId } from '../kernel/ids.js';
import { loadEnrollmentForMfa } from './load-enrollment-for-mfa.js';
import { insertFactor } from './repository.js';
import { newTotpSecret, totpUri } from './totp.js';

export interface TotpSetup {
  factor_id: string;
  otpauth_uri: string;
  qr_svg: string;
}

/** Create a pending TOTP factor; the secret leaves the server once, inside the URI and its QR code. */
export async function setupTotp(deps: Pick<Deps, 'db' | 'keys'>, enrollmentId: string, ctx: FlowContext): Promise<TotpSetup> {
  const e = await loadEnrollmentForMfa(deps.db, enrollmentId, ctx.now);
  const secret = newTotpSecret();
  const factorId = newId('mfa', ctx.now.getTime());
  await deps.db.transaction(async (tx) => {
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
