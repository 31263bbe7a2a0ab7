import { SmsSendError, type SmsRefusal, type SmsSender } from '../sms-sender.js';

/**
 * Twilio error codes that no retry can change (https://www.twilio.com/docs/api/errors): the number is invalid
 * (21211) or not a mobile (21614), its owner replied STOP (21610), or our account may not text that region (21408).
 */
const PERMANENT: Record<number, SmsRefusal> = {
  21211: 'invalid_number',
  21614: 'invalid_number',
  21610: 'unsubscribed',
  21408: 'region_not_permitted',
};

/** A refusal by Twilio. Carries Twilio's numeric code only: its message may echo the number, and nothing here holds the token or the body. */
export class TwilioError extends SmsSendError {
  constructor(
    readonly code: number | null,
    readonly httpStatus: number,
  ) {
    super(`twilio refused the message: code ${code ?? 'unknown'} (HTTP ${httpStatus})`, code !== null ? (PERMANENT[code] ?? null) : null);
    this.name = 'TwilioError';
  }
}

/**
 * Twilio's Messages API over plain HTTP (no SDK: one form POST is all we use).
 * A thrown error fails the job: a permanent refusal is dead-lettered at once, anything else retried with backoff.
 */
export function createTwilioSmsSender(opts: { accountSid: string; authToken: string; from: string; baseUrl?: string }): SmsSender {
  const base = (opts.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
  return {
    async send(msg) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ To: msg.to, From: opts.from, Body: msg.body }),
        // A hung provider must not hold a job past its lease.
        signal: AbortSignal.timeout(15_000),
      });
      const json = (await res.json().catch(() => null)) as { sid?: unknown; code?: unknown } | null;
      if (res.status !== 201 && res.status !== 200) throw new TwilioError(typeof json?.code === 'number' ? json.code : null, res.status);
      if (typeof json?.sid !== 'string') throw new TwilioError(null, res.status);
      return { messageId: json.sid };
    },
  };
}
