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
];

export function createLogger(opts: { level: string; destination?: DestinationStream }): Logger {
  return pino({ level: opts.level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, opts.destination);
}
