import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { httpErrors } from '../http/errors.js';
import { issuesToFields } from '../http/field-codes.js';
import type { DevMailbox } from './adapters/dev-mailbox.js';

/**
 * `to` is an email address or an E.164 number. A client must send `+` as `%2B`: a bare `+` in a
 * query string means a space, so `?to=+4915…` arrives as ` 4915…`. Both spellings are accepted:
 * a value of digits only is read as the E.164 number it must have been.
 */
const query = z.object({
  to: z
    .string()
    .max(320)
    .transform((s) => s.trim())
    .transform((s) => (/^\d{6,15}$/.test(s) ? `+${s}` : s))
    .pipe(z.string().min(1))
    .optional(),
  /** Long poll: hold the answer up to this many seconds until `to` has more than `after` messages. */
  wait: z.coerce.number().min(0).max(30).optional(),
  after: z.coerce.number().int().min(0).default(0),
});

/**
 * GET /dev/mailbox?to=<email or %2B E.164>[&wait=<s>&after=<n>]: dev mode only; the lead registers
 * it only outside production. With `wait`, the answer waits for the next message instead of being polled for.
 */
export function devMailboxRoutes(opts: { mailbox: DevMailbox }): FastifyPluginAsync {
  return async (app) => {
    app.addHook('preClose', async () => opts.mailbox.release());
    app.get('/dev/mailbox', async (req, reply) => {
      const q = query.safeParse(req.query);
      if (!q.success) throw httpErrors.request_validation_failed({ fields: issuesToFields(q.error.issues) });
      if (q.data.wait && q.data.to) await opts.mailbox.waitFor(q.data.to, q.data.after, q.data.wait * 1000);
      // It holds one-time codes: no cache may keep a copy.
      reply.header('cache-control', 'no-store');
      return { messages: opts.mailbox.list(q.data.to) };
    });
  };
}
