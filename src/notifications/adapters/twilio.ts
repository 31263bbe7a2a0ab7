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
    action: 'send' | 'delete' = 'send',
  ) {
    // A failed delete is never a refusal of the number: it is retried.
    super(
      `twilio refused to ${action} the message: code ${code ?? 'unknown'} (HTTP ${httpStatus})`,
      action === 'send' && code !== null ? (PERMANENT[code] ?? null) : null,
    );
    this.name = 'TwilioError';
  }
}

/** Twilio's "The requested resource … was not found": with HTTP 404, the message is gone (deleted before, or never ours). */
const NOT_FOUND = 20404;

/**
 * Twilio's Messages API over plain HTTP (no SDK: a form POST and a DELETE are all we use).
 * A thrown error fails the job: a permanent refusal is dead-lettered at once, anything else retried with backoff.
 */
export function createTwilioSmsSender(opts: { accountSid: string; authToken: string; from: string; baseUrl?: string }): SmsSender {
  const base = (opts.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const messages = `${base}/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}/Messages`;
  const url = `${messages}.json`;
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
    async deleteMessage(messageId) {
      const res = await fetch(`${messages}/${encodeURIComponent(messageId)}.json`, {
        method: 'DELETE',
        headers: { authorization, accept: 'application/json' },
        signal: AbortSignal.timeout(15_000),
      });
      if (res.status === 204) return;
      const json = (await res.json().catch(() => null)) as { code?: unknown } | null;
      const code = typeof json?.code === 'number' ? json.code : null;
      // Only Twilio's own not-found counts as gone: a bare 404 (a wrong base URL, a proxy) must not pass for a deletion.
      // Twilio also refuses to delete a message still being delivered: that error is thrown, and the retry finds it delivered.
      if (res.status === 404 && code === NOT_FOUND) return;
      throw new TwilioError(code, res.status, 'delete');
    },
  };
}
