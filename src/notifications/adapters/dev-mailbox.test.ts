import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { devMailboxRoutes } from '../routes.js';
import { smsSenderContract } from '../sms-sender.contract.js';
import { createDevMailbox, createMailboxEmailTransport, createMailboxSmsSender } from './dev-mailbox.js';

describe('dev mailbox', () => {
  it('keeps messages newest last and matches the address case-insensitively', async () => {
    const mailbox = createDevMailbox();
    const transport = createMailboxEmailTransport(mailbox);
    const a = await transport.send({ to: 'Ada@Example.com', subject: 'one', text: '1', html: '<p>1</p>' });
    await transport.send({ to: 'bob@example.com', subject: 'two', text: '2' });
    await transport.send({ to: '"Ada L." <ada@example.COM>', subject: 'three', text: '3' });
    expect(a.messageId).toMatch(/^<msg_[0-9a-z]{26}@/);
    expect(mailbox.list('ADA@example.com').map((m) => m.subject)).toEqual(['one', 'three']);
    expect(mailbox.list(' ada@example.com ').map((m) => m.subject)).toEqual(['one', 'three']);
    expect(mailbox.list().map((m) => m.subject)).toEqual(['one', 'two', 'three']);
    expect(mailbox.list('nobody@example.com')).toEqual([]);
    expect(Date.parse(mailbox.list()[0].sent_at)).not.toBeNaN();
    // list() hands out copies: a caller cannot rewrite the mailbox.
    mailbox.list()[0].subject = 'changed';
    expect(mailbox.list()[0].subject).toBe('one');
  });

  it('keeps only the newest `max` messages', () => {
    const mailbox = createDevMailbox({ max: 3 });
    for (let i = 1; i <= 5; i++) mailbox.add({ to: 'a@b.example', subject: `m${i}`, text: '' });
    expect(mailbox.list().map((m) => m.subject)).toEqual(['m3', 'm4', 'm5']);
    const big = createDevMailbox();
    for (let i = 1; i <= 1005; i++) big.add({ to: 'a@b.example', subject: `m${i}`, text: '' });
    expect(big.list()).toHaveLength(1000);
    expect(big.list()[0].subject).toBe('m6');
  });

  it('remove(id) takes out that one message, once; list() never shows the id', async () => {
    const mailbox = createDevMailbox();
    const sms = createMailboxSmsSender(mailbox);
    const a = await sms.send({ to: '+4915123456789', body: 'one' });
    await sms.send({ to: '+4915123456789', body: 'two' });
    expect(Object.keys(mailbox.list()[0]).sort()).toEqual(['sent_at', 'subject', 'text', 'to']);
    expect(mailbox.remove(a.messageId)).toBe(true);
    expect(mailbox.remove(a.messageId)).toBe(false);
    expect(mailbox.list('+4915123456789').map((m) => m.text)).toEqual(['two']);
  });

  it('GET /dev/mailbox?to= returns { messages } for that address, newest last, never cached', async () => {
    const mailbox = createDevMailbox();
    mailbox.add({ to: 'ada@example.com', subject: 'Your code', text: 'code 123456' });
    mailbox.add({ to: 'bob@example.com', subject: 'Other', text: 'x' });
    mailbox.add({ to: 'ada@example.com', subject: 'Welcome', text: 'hi' });
    const app = Fastify();
    await app.register(devMailboxRoutes({ mailbox }));
    try {
      const res = await app.inject({ method: 'GET', url: '/dev/mailbox?to=ADA%40example.com' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const body = res.json();
      expect(body.messages.map((m: { subject: string }) => m.subject)).toEqual(['Your code', 'Welcome']);
      expect(Object.keys(body.messages[0]).sort()).toEqual(['sent_at', 'subject', 'text', 'to']);
      expect(body.messages[0]).toMatchObject({ to: 'ada@example.com', text: 'code 123456' });

      const all = await app.inject({ method: 'GET', url: '/dev/mailbox' });
      expect(all.json().messages).toHaveLength(3);

      const bad = await app.inject({ method: 'GET', url: `/dev/mailbox?to=${'a'.repeat(400)}` });
      expect(bad.statusCode).toBe(422);
    } finally {
      await app.close();
    }
  });

  it('GET /dev/mailbox?wait= answers when the next message for that address arrives, or empty when the wait ends', async () => {
    const mailbox = createDevMailbox();
    const app = Fastify();
    await app.register(devMailboxRoutes({ mailbox }));
    try {
      const subjects = (res: { json(): any }) => res.json().messages.map((m: { subject: string }) => m.subject);
      let answered = false;
      const first = app.inject({ method: 'GET', url: '/dev/mailbox?to=ada%40example.com&wait=10' }).then((r) => { answered = true; return r; });
      await new Promise((r) => setTimeout(r, 50));
      mailbox.add({ to: 'bob@example.com', subject: 'not hers', text: '' });
      await new Promise((r) => setTimeout(r, 50));
      expect(answered).toBe(false);
      mailbox.add({ to: 'Ada@Example.com', subject: 'Your code', text: '123456' });
      expect(subjects(await first)).toEqual(['Your code']);
      // `after`: wait for a message beyond those already read (a resent code).
      const second = app.inject({ method: 'GET', url: '/dev/mailbox?to=ada%40example.com&wait=10&after=1' });
      setTimeout(() => mailbox.add({ to: 'ada@example.com', subject: 'New code', text: '654321' }), 50);
      expect(subjects(await second)).toEqual(['Your code', 'New code']);
      const t0 = Date.now();
      expect(subjects(await app.inject({ method: 'GET', url: '/dev/mailbox?to=nobody%40example.com&wait=0.2' }))).toEqual([]);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
      expect((await app.inject({ method: 'GET', url: '/dev/mailbox?to=a%40b.example&wait=31' })).statusCode).toBe(422);
      // Closing the server ends a pending wait at once instead of holding the shutdown.
      const pending = app.inject({ method: 'GET', url: '/dev/mailbox?to=late%40example.com&wait=30' });
      await new Promise((r) => setTimeout(r, 50));
      const c0 = Date.now();
      await app.close();
      expect((await pending).json().messages).toEqual([]);
      expect(Date.now() - c0).toBeLessThan(5000);
    } finally {
      await app.close();
    }
  });

  it('SMS land in the same mailbox, found by the E.164 number sent as %2B or as a bare + (a space)', async () => {
    const mailbox = createDevMailbox();
    const { messageId } = await createMailboxSmsSender(mailbox).send({ to: '+4915123456789', body: 'Your code is 123456' });
    expect(messageId).toMatch(/^msg_/);
    const app = Fastify();
    await app.register(devMailboxRoutes({ mailbox }));
    try {
      for (const url of ['/dev/mailbox?to=%2B4915123456789', '/dev/mailbox?to=+4915123456789']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode).toBe(200);
        expect(res.json().messages).toEqual([expect.objectContaining({ to: '+4915123456789', text: 'Your code is 123456' })]);
      }
      expect((await app.inject({ method: 'GET', url: '/dev/mailbox?to=%2B4915100000000' })).json().messages).toEqual([]);
      expect((await app.inject({ method: 'GET', url: '/dev/mailbox?to=%20' })).statusCode).toBe(422);
    } finally {
      await app.close();
    }
  });
});

smsSenderContract('dev mailbox', async () => {
  const mailbox = createDevMailbox();
  return { sender: createMailboxSmsSender(mailbox), delivered: async (to) => mailbox.list(to).map((m) => m.text) };
});
