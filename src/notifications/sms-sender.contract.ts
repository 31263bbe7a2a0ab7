import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { SmsSendError, type SmsRefusal, type SmsSender } from './sms-sender.js';

export interface SmsSenderContractHarness {
  sender: SmsSender;
  /** Bodies delivered to `to`, oldest first, as the adapter's far side saw them. */
  delivered(to: string): Promise<string[]>;
  /** A number this adapter's far side refuses permanently for `reason`, when it can simulate one. */
  refusingNumber?(reason: SmsRefusal): string | null;
  /** A well-formed message id this adapter's far side never issued (default `msg_never_sent`). */
  unknownMessageId?: string;
  close?(): Promise<void>;
}

/**
 * The SmsSender contract: one suite, every adapter (dev mailbox, Twilio via its
 * wire fake). Call it from an adapter's test file with a harness factory.
 */
export function smsSenderContract(name: string, setup: () => Promise<SmsSenderContractHarness>): void {
  describe(`SmsSender contract: ${name}`, () => {
    let h: SmsSenderContractHarness;
    let n = 0;
    // A fresh German mobile per test, so deliveries never mix.
    const number = () => `+49151${String(Date.now() % 1_000_000).padStart(6, '0')}${n++ % 10}`;
    beforeAll(async () => {
      h = await setup();
    });
    afterAll(async () => {
      await h.close?.();
    });

    it('delivers the body unchanged to the E.164 number and resolves with a message id', async () => {
      const to = number();
      const body = 'Ihr Code: 123456 – gültig 10 Min. & nur für Sie';
      const { messageId } = await h.sender.send({ to, body });
      expect(typeof messageId).toBe('string');
      expect(messageId.length).toBeGreaterThan(0);
      expect(await h.delivered(to)).toEqual([body]);
    });

    it('gives every message its own id', async () => {
      const to = number();
      const a = await h.sender.send({ to, body: 'one' });
      const b = await h.sender.send({ to, body: 'two' });
      expect(a.messageId).not.toBe(b.messageId);
      expect(await h.delivered(to)).toEqual(['one', 'two']);
    });

    it('refuses a number that is not E.164 permanently (invalid_number), naming neither the number nor the body', async () => {
      const err = await h.sender.send({ to: '12345999', body: 'code 654321' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SmsSendError);
      expect((err as SmsSendError).refusal).toBe('invalid_number');
      const text = `${(err as Error).message} ${JSON.stringify(err)}`;
      expect(text).not.toContain('12345999');
      expect(text).not.toContain('654321');
    });

    it('deleteMessage: the message is gone from the far side; the others to the same number stay', async () => {
      const to = number();
      const a = await h.sender.send({ to, body: 'erase me' });
      await h.sender.send({ to, body: 'keep me' });
      await h.sender.deleteMessage(a.messageId);
      expect(await h.delivered(to)).toEqual(['keep me']);
    });

    it('deleteMessage is idempotent: again, or an id never sent, resolves (an erasure retry must not fail)', async () => {
      const to = number();
      const { messageId } = await h.sender.send({ to, body: 'once' });
      await h.sender.deleteMessage(messageId);
      await expect(h.sender.deleteMessage(messageId)).resolves.toBeUndefined();
      await expect(h.sender.deleteMessage(h.unknownMessageId ?? 'msg_never_sent')).resolves.toBeUndefined();
      expect(await h.delivered(to)).toEqual([]);
    });

    for (const reason of ['unsubscribed', 'region_not_permitted'] as const) {
      it(`reports a permanent refusal as ${reason} where the far side can produce one`, async (ctx) => {
        const to = h.refusingNumber?.(reason);
        if (!to) return ctx.skip();
        const err = await h.sender.send({ to, body: 'x' }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(SmsSendError);
        expect((err as SmsSendError).refusal).toBe(reason);
        expect(await h.delivered(to)).toEqual([]);
      });
    }
  });
}
