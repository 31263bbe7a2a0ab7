import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  rcptTo: string[];
  raw: string;
}

/** A real SMTP sink on loopback (smtp-server), as LIBRARIES.md proved with nodemailer 10. */
export async function startSmtpSink(opts: { reject?: (address: string) => boolean } = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, cb) {
      if (opts.reject?.(address.address)) return cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { received, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Subject and plain-text body of a received message, decoded. */
export function readMessage(raw: string): { subject: string; text: string } {
  const { headers, body } = splitMessage(raw);
  const type = headers.get('content-type') ?? '';
  const text = type.startsWith('multipart/')
    ? mimeParts(type, body).find((p) => p.type.startsWith('text/plain'))?.content ?? ''
    : decodeBody(headers.get('content-transfer-encoding'), body);
  return { subject: decodeEncodedWords(headers.get('subject') ?? ''), text };
}

// --- a minimal MIME reader for the assertions (no mailparser: no new packages) ---

export function splitMessage(raw: string): { headers: Map<string, string>; body: string } {
  const i = raw.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  // Unfold: a CRLF followed by white space continues the previous header line.
  for (const line of raw.slice(0, i).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const c = line.indexOf(':');
    headers.set(line.slice(0, c).toLowerCase(), line.slice(c + 1).trim());
  }
  return { headers, body: raw.slice(i + 4) };
}

/** RFC 2047: =?charset?B|Q?text?= ; white space between adjacent encoded-words is dropped. */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, enc: string, data: string) => {
      const bytes = enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64')
        : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      return new TextDecoder(charset).decode(bytes);
    });
}

export function decodeBody(encoding: string | undefined, body: string): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return Buffer.from(
        body.replace(/=\r\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      ).toString('utf8');
    default:
      return body;
  }
}

export function mimeParts(contentType: string, body: string): { type: string; content: string }[] {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`not multipart: ${contentType}`);
  return body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((chunk) => {
      const part = splitMessage(chunk.replace(/^\r\n/, ''));
      const content = decodeBody(part.headers.get('content-transfer-encoding'), part.body).replace(/\r\n$/, '');
      return { type: part.headers.get('content-type') ?? '', content };
    });
}
