import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { httpErrors } from '../http/errors.js';
import { issuesToFields } from '../http/field-codes.js';
import type { DevMailbox } from './adapters/dev-mailbox.js';

const query = z.object({ to: z.string().trim().min(1).max(320).optional() });

/** GET /dev/mailbox?to=<email>: dev mode only; the lead registers it only outside production. */
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
