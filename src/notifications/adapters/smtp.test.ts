import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEmail } from '../templates.js';
import { createSmtpEmailTransport, parseSmtpUrl } from './smtp.js';
import { decodeBody, decodeEncodedWords, mimeParts, splitMessage, startSmtpSink, type Received } from '../../../test/helpers/smtp-sink.js';

describe('createSmtpEmailTransport → a real SMTP server on 127.0.0.1', () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let received: Received[];
  let port: number;

  beforeAll(async () => {
    sink = await startSmtpSink({ reject: (a) => a.endsWith('@rejected.example') });
    received = sink.received;
    port = sink.port;
  });
  afterAll(() => sink.close());

  it('delivers a German welcome email: envelope, To, decoded UTF-8 subject and bodies', async () => {
    const transport = createSmtpEmailTransport({ url: `smtp://127.0.0.1:${port}?ignoreTLS=true`, from: 'Enroll <no-reply@enroll.localhost>' });
    const mail = renderEmail('welcome', 'de-DE', { given_name: 'Jürgen', tenant_id: 'ten_01abc', plan_name: 'Größe M', dashboard_url: 'https://app.example/d?t=x&y=1' });
    const { messageId } = await transport.send({ to: 'juergen@example.de', ...mail });
    expect(messageId).toMatch(/^<.+@.+>$/);

    const msg = received.at(-1)!;
    expect(msg.rcptTo).toEqual(['juergen@example.de']);
    const { headers, body } = splitMessage(msg.raw);
    expect(headers.get('to')).toBe('juergen@example.de');
    expect(headers.get('from')).toBe('Enroll <no-reply@enroll.localhost>');
    expect(headers.get('message-id')).toBe(messageId);
    // Non-ASCII subjects travel as RFC 2047 encoded-words; decoded they are exact.
    expect(headers.get('subject')).toMatch(/=\?UTF-8\?[BQ]\?/i);
    expect(decodeEncodedWords(headers.get('subject')!)).toBe('Willkommen bei Enroll, Jürgen');

    const parts = mimeParts(headers.get('content-type')!, body);
    const text = parts.find((p) => p.type.startsWith('text/plain'))!;
    const html = parts.find((p) => p.type.startsWith('text/html'))!;
    expect(text.content).toBe(mail.text.replace(/\n/g, '\r\n'));
    expect(text.content).toContain('Ihr Abonnement Größe M ist eingerichtet');
    expect(html.content).toContain('<a href="https://app.example/d?t=x&amp;y=1">Zum Dashboard</a>');
  });

  it('delivers plain ASCII to a second recipient', async () => {
    const transport = createSmtpEmailTransport({ url: `smtp://127.0.0.1:${port}?ignoreTLS=true`, from: 'no-reply@enroll.localhost' });
    const mail = renderEmail('verification-code', 'en', { code: '493817', minutes: 10 });
    await transport.send({ to: 'Ada@Example.com', subject: mail.subject, text: mail.text });
    const msg = received.at(-1)!;
    const { headers, body } = splitMessage(msg.raw);
    expect(msg.rcptTo).toEqual(['Ada@example.com']); // nodemailer normalizes the domain; the local part is kept
    expect(decodeEncodedWords(headers.get('subject')!)).toBe('Your Enroll verification code');
    expect(decodeBody(headers.get('content-transfer-encoding'), body)).toContain('493817');
  });

  it('rejects when the server refuses the recipient, so the job is retried', async () => {
    const transport = createSmtpEmailTransport({ url: `smtp://127.0.0.1:${port}?ignoreTLS=true`, from: 'no-reply@enroll.localhost' });
    await expect(transport.send({ to: 'x@rejected.example', subject: 's', text: 't' })).rejects.toThrow();
  });

  it('rejects when nothing listens', async () => {
    const transport = createSmtpEmailTransport({ url: 'smtp://127.0.0.1:1?ignoreTLS=true', from: 'no-reply@enroll.localhost' });
    await expect(transport.send({ to: 'a@b.example', subject: 's', text: 't' })).rejects.toThrow();
  });
});

describe('parseSmtpUrl', () => {
  it('reads host, port, TLS mode and credentials', () => {
    expect(parseSmtpUrl('smtp://127.0.0.1:2525?ignoreTLS=true')).toMatchObject({ host: '127.0.0.1', port: 2525, secure: false, ignoreTLS: true, requireTLS: false, auth: undefined });
    expect(parseSmtpUrl('smtps://us%40er:p%3Ass@mail.example')).toMatchObject({ host: 'mail.example', port: 465, secure: true, auth: { user: 'us@er', pass: 'p:ss' } });
    expect(parseSmtpUrl('smtp://mail.example?requireTLS=true')).toMatchObject({ port: 587, requireTLS: true, ignoreTLS: false });
  });

  it('refuses other schemes, unknown options and contradictions', () => {
    expect(() => parseSmtpUrl('http://mail.example')).toThrow(/smtp/);
    expect(() => parseSmtpUrl('smtp://mail.example?sendmail=true')).toThrow(/unknown option sendmail/);
    expect(() => parseSmtpUrl('smtp://mail.example?ignoreTLS=yes')).toThrow(/true or false/);
    expect(() => parseSmtpUrl('smtp://mail.example?ignoreTLS=true&requireTLS=true')).toThrow(/exclude/);
  });
});
