import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Redaction is the second line of defence: code should not log secrets at all,
 * but a header or a body that slips into a log line is censored here.
 * A test scans captured logs for PANs, codes and tokens after a full run.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  '*.number', '*.cvc', '*.code', '*.token', '*.password', '*.secret',
  // Personal data belongs in the PII vault, never in a log line (an error's context, a logged body).
  'email', 'phone', 'given_name', 'family_name', 'user_agent',
  '*.email', '*.phone', '*.given_name', '*.family_name', '*.address', '*.user_agent',
  'req.headers["user-agent"]', 'req.headers["x-forwarded-for"]',
];

/**
 * Log-injection safety. Lines are JSON, so a newline in user input is already escaped by pino; this
 * also escapes every other control character and the Unicode line/paragraph separators, so a pretty
 * printer or a line-based collector downstream cannot be made to see a forged line either.
 */
export function safeText(s: string | undefined): string | undefined {
  return s?.replace(/[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Query strings carry one-time link tokens (`/app?token=…`) and addresses
 * (`/dev/mailbox?to=…`): log their keys, never their values.
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const q = url.indexOf('?');
  if (q < 0) return url;
  const keys = url.slice(q + 1).split('&').map((kv) => kv.split('=')[0]);
  return `${url.slice(0, q)}?${keys.map((k) => `${k}=[redacted]`).join('&')}`;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  socket?: { remoteAddress?: string };
}

export function createLogger(opts: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: opts.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: LoggedRequest) => ({ method: safeText(req.method), url: safeText(redactUrl(req.url)), remoteAddress: req.socket?.remoteAddress }),
        err: pino.stdSerializers.err,
      },
    },
    opts.destination,
  );
}
