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
});

/** GET /dev/mailbox?to=<email or %2B E.164>: dev mode only; the lead registers it only outside production. */
export function devMailboxRoutes(opts: { mailbox: DevMailbox }): FastifyPluginAsync {
  return async (app) => {
    app.get('/dev/mailbox', async (req, reply) => {
      const q = query.safeParse(req.query);
      if (!q.success) throw httpErrors.request_validation_failed({ fields: issuesToFields(q.error.issues) });
      // It holds one-time codes: no cache may keep a copy.
      reply.header('cache-control', 'no-store');
      return { messages: opts.mailbox.list(q.data.to) };
    });
  };
}
