import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioFake } from '../../../test/helpers/twilio-fake.js';
import { smsSenderContract } from '../sms-sender.contract.js';
import { createTwilioSmsSender, TwilioError } from './twilio.js';

const ACCOUNT_SID = 'AC' + 'a1'.repeat(16);
const AUTH_TOKEN = 'twilio-test-auth-token-0123456789';

describe("createTwilioSmsSender → a loopback server speaking Twilio's wire format", () => {
  let fake: Awaited<ReturnType<typeof startTwilioFake>>;
  beforeAll(async () => {
    fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  });
  afterAll(() => fake.close());
  const sender = (token = AUTH_TOKEN) => createTwilioSmsSender({ accountSid: ACCOUNT_SID, authToken: token, from: '+15005550006', baseUrl: fake.baseUrl });

  it('posts To, From and Body form-encoded with Basic auth, and returns the message sid', async () => {
    const { messageId } = await sender().send({ to: '+4915123456789', body: 'Ihr Code: 123456 & mehr' });
    expect(messageId).toMatch(/^SM[0-9a-f]{32}$/);
    const got = fake.messages.at(-1)!;
    expect(got).toMatchObject({ sid: messageId, to: '+4915123456789', from: '+15005550006', body: 'Ihr Code: 123456 & mehr' });
    expect(got.contentType).toBe('application/x-www-form-urlencoded');
    expect(got.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
  });

  it("an invalid 'To' is Twilio error 21211, and the error holds neither the number, the body nor the token", async () => {
    // Twilio's (and the fake's) message echoes the number: the adapter must not pass it on.
    const err = await sender().send({ to: '12345999', body: 'code 654321' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TwilioError);
    expect(err).toMatchObject({ code: 21211, httpStatus: 400 });
    const text = `${(err as Error).message} ${JSON.stringify(err)}`;
    expect(text).not.toContain('12345999');
  });

  it('bad credentials are Twilio error 20003 (401), and nothing is sent', async () => {
    const before = fake.messages.length;
    const err = await sender('wrong-token').send({ to: '+4915123456789', body: 'x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 20003, httpStatus: 401 });
    // Neither the token nor the Basic credentials it travels in.
    const text = `${(err as Error).message} ${JSON.stringify(err)}`;
    expect(text).not.toContain('wrong-token');
    expect(text).not.toContain(Buffer.from(`${ACCOUNT_SID}:wrong-token`).toString('base64'));
    expect(fake.messages.length).toBe(before);
  });

  it('deleteMessage sends DELETE …/Messages/{sid}.json with Basic auth; Twilio answers 204 and the message is gone', async () => {
    const { messageId } = await sender().send({ to: '+4915123456700', body: 'to be erased' });
    await sender().deleteMessage(messageId);
    expect(fake.deleted.at(-1)).toBe(messageId);
    expect(fake.messages.find((m) => m.sid === messageId)).toBeUndefined();
    // Twilio's 404 (code 20404) means gone already: resolves.
    await expect(sender().deleteMessage(messageId)).resolves.toBeUndefined();
  });

  it('deleteMessage rejects (so the erasure job retries) on bad credentials and on a message still being delivered', async () => {
    const { messageId } = await sender().send({ to: '+4915123456701', body: 'still in flight' });
    const denied = await sender('wrong-token').deleteMessage(messageId).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(TwilioError);
    expect(denied).toMatchObject({ code: 20003, httpStatus: 401, refusal: null });
    expect(JSON.stringify(denied) + (denied as Error).message).not.toContain('wrong-token');
    fake.inFlight.add(messageId);
    await expect(sender().deleteMessage(messageId)).rejects.toMatchObject({ code: 20009, refusal: null });
    expect(fake.messages.some((m) => m.sid === messageId)).toBe(true);
    fake.inFlight.delete(messageId);
    await sender().deleteMessage(messageId);
    expect(fake.messages.some((m) => m.sid === messageId)).toBe(false);
  });

  it("deleteMessage: a 404 that is not Twilio's (a wrong base URL, a proxy) is not taken for a deletion", async () => {
    const notTwilio = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
    await new Promise<void>((resolve) => notTwilio.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(notTwilio.address() as AddressInfo).port}`;
      const s = createTwilioSmsSender({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', baseUrl });
      await expect(s.deleteMessage('SM' + 'f'.repeat(32))).rejects.toMatchObject({ code: null, httpStatus: 404 });
    } finally {
      await new Promise((resolve) => notTwilio.close(resolve));
    }
  });

  it('rejects when nothing listens', async () => {
    const s = createTwilioSmsSender({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', baseUrl: 'http://127.0.0.1:1' });
    await expect(s.send({ to: '+4915123456789', body: 'x' })).rejects.toThrow();
  });
});

smsSenderContract('Twilio (loopback wire fake)', async () => {
  const refusing: Record<string, number> = { '+4915100021610': 21610, '+4915100021408': 21408 };
  const fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, refuse: refusing });
  return {
    sender: createTwilioSmsSender({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', baseUrl: fake.baseUrl }),
    delivered: async (to) => fake.messages.filter((m) => m.to === to).map((m) => m.body),
    refusingNumber: (reason) => ({ unsubscribed: '+4915100021610', region_not_permitted: '+4915100021408', invalid_number: null })[reason],
    unknownMessageId: `SM${'0'.repeat(32)}`,
    close: fake.close,
  };
});
