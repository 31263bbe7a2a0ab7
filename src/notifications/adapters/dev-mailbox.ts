import { newId } from '../../kernel/ids.js';
import type { EmailTransport } from '../email-transport.js';
import { SmsSendError, type SmsSender } from '../sms-sender.js';

export interface MailboxMessage {
  to: string;
  subject: string;
  text: string;
  /** The HTML part, when the message has one (email), so its lang and dir can be checked too. */
  html?: string;
  sent_at: string;
}

/** Dev mode's inbox: sent email stays in memory so a newcomer and the tests can read codes. */
export interface DevMailbox {
  /** `id`, when given, lets the sender delete the message again (an erased person's SMS). */
  add(msg: { to: string; subject: string; text: string; html?: string; id?: string }): void;
  /** Removes the message stored under `id`; false when there is none (removed before, or pushed out by `max`). */
  remove(id: string): boolean;
  /** Oldest first, newest last; `to` matches the address case-insensitively. */
  list(to?: string): MailboxMessage[];
  /**
   * Resolves once `to` has more than `after` messages, or after `ms`, or on `release()`: a reader
   * waits for its code in one request instead of polling (and so does the load bench).
   */
  waitFor(to: string, after: number, ms: number): Promise<void>;
  /** Ends every wait at once (the server is closing). */
  release(): void;
}

/** An in-memory mailbox that keeps the newest `max` messages (default 1000). */
export function createDevMailbox(opts: { max?: number } = {}): DevMailbox {
  const max = opts.max ?? 1000;
  // The address is normalised once, when stored: a poll is a string compare per message.
  const messages: (MailboxMessage & { key: string; id?: string })[] = [];
  const count = (key: string) => messages.reduce((n, m) => (m.key === key ? n + 1 : n), 0);
  const waiters = new Set<{ key: string; after: number; done: () => void }>();
  return {
    add(msg) {
      const key = addressOf(msg.to);
      messages.push({
        to: msg.to, subject: msg.subject, text: msg.text, ...(msg.html !== undefined && { html: msg.html }), sent_at: new Date().toISOString(),
        key, ...(msg.id !== undefined && { id: msg.id }),
      });
      // Bounded, so a long dev session or a load test cannot grow it without limit.
      if (messages.length > max) messages.splice(0, messages.length - max);
      for (const w of waiters) if (w.key === key && count(key) > w.after) w.done();
    },
    list(to) {
      const want = to === undefined ? undefined : addressOf(to);
      return messages.filter((m) => want === undefined || m.key === want).map(({ key: _key, id: _id, ...m }) => m);
    },
    remove(id) {
      const at = messages.findIndex((m) => m.id === id);
      if (at < 0) return false;
      messages.splice(at, 1);
      return true;
    },
    waitFor(to, after, ms) {
      const key = addressOf(to);
      if (count(key) > after || ms <= 0) return Promise.resolve();
      return new Promise((resolve) => {
        const w = { key, after, done: () => { clearTimeout(timer); waiters.delete(w); resolve(); } };
        const timer = setTimeout(w.done, ms);
        waiters.add(w);
      });
    },
    release() {
      for (const w of waiters) w.done();
    },
  };
}

/** An EmailTransport that delivers into the dev mailbox. */
export function createMailboxEmailTransport(mailbox: DevMailbox): EmailTransport {
  return {
    async send(msg) {
      mailbox.add({ to: msg.to, subject: msg.subject, text: msg.text, html: msg.html });
      return { messageId: `<${newId('msg')}@dev-mailbox.enroll.localhost>` };
    },
  };
}

/** An SmsSender that delivers into the dev mailbox, keyed by the E.164 number: `GET /dev/mailbox?to=%2B4915…`. */
export function createMailboxSmsSender(mailbox: DevMailbox): SmsSender {
  return {
    async send(msg) {
      // Refuse what a provider would refuse, so dev and tests see the same permanent failure as production.
      if (!/^\+[1-9]\d{6,14}$/.test(msg.to)) throw new SmsSendError('not an E.164 number', 'invalid_number');
      const messageId = newId('msg');
      mailbox.add({ to: msg.to, subject: '(SMS)', text: msg.body, id: messageId });
      return { messageId };
    },
    async deleteMessage(messageId) {
      // Gone already is fine: erasure retries delete again.
      mailbox.remove(messageId);
    },
  };
}

/** `"Ada" <Ada@Example.com>` and ` ada@example.com ` are the same address. */
function addressOf(to: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(to);
  return (angle ? angle[1] : to).trim().toLowerCase();
}
