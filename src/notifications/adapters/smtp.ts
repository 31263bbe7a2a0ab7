import nodemailer from 'nodemailer';
import type { EmailTransport } from '../email-transport.js';

/**
 * SMTP through nodemailer. The URL is parsed here, not by nodemailer, so only
 * known options are accepted (nodemailer would turn any query key into a
 * transport option, e.g. `?sendmail=true`). One connection per message: no
 * pool to close on shutdown; at our volume the handshake is not the bottleneck.
 *
 *   smtp://user:pass@host:587            STARTTLS when the server offers it
 *   smtps://user:pass@host:465           implicit TLS
 *   smtp://127.0.0.1:2525?ignoreTLS=true a loopback sink without TLS (dev, tests)
 *   ?requireTLS=true                     refuse to send if STARTTLS fails
 */
export function createSmtpEmailTransport(opts: { url: string; from: string }): EmailTransport {
  const transporter = nodemailer.createTransport(parseSmtpUrl(opts.url));
  return {
    async send(msg) {
      const info = await transporter.sendMail({ from: opts.from, to: msg.to, subject: msg.subject, text: msg.text, html: msg.html });
      return { messageId: String(info.messageId) };
    },
  };
}

const FLAGS = ['ignoreTLS', 'requireTLS'] as const;

export function parseSmtpUrl(raw: string) {
  const url = new URL(raw);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('SMTP_URL must start with smtp:// or smtps://');
  const secure = url.protocol === 'smtps:';
  const flags: Partial<Record<(typeof FLAGS)[number], boolean>> = {};
  for (const [key, value] of url.searchParams) {
    if (!(FLAGS as readonly string[]).includes(key)) throw new Error(`SMTP_URL: unknown option ${key} (known: ${FLAGS.join(', ')})`);
    if (value !== 'true' && value !== 'false') throw new Error(`SMTP_URL: ${key} must be true or false`);
    flags[key as (typeof FLAGS)[number]] = value === 'true';
  }
  if (flags.ignoreTLS && flags.requireTLS) throw new Error('SMTP_URL: ignoreTLS and requireTLS exclude each other');
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ignoreTLS: flags.ignoreTLS ?? false,
    requireTLS: flags.requireTLS ?? false,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // A hung server must not hold a job past its lease (60 s by default).
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
}
