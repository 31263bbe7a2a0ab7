import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { spaCsp } from './csp.js';

/** The SPA's own paths. Listed, not a catch-all: /v1, /docs, /openapi.json, /healthz, /dev and /sandbox-gateway stay the API's. */
export const SPA_PATHS = ['/', '/enroll/:id', '/dashboard'];

/**
 * Serves the built web app (web/dist): hashed assets immutable, the HTML shell with the strict CSP on every SPA
 * path so a reload or a shared /enroll/enr_… link opens the app. Without a build, `/` still points at the API docs.
 */
export function spaRoutes(opts: { dir: string; gatewayOrigin: string }): FastifyPluginAsync {
  return async (app) => {
    const indexFile = join(opts.dir, 'index.html');
    if (!existsSync(indexFile)) {
      app.log.warn({ dir: opts.dir }, 'web app not built (npm run build:web): / redirects to /docs');
      app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/docs'));
      return;
    }
    const html = readFileSync(indexFile, 'utf8');
    const csp = spaCsp(opts.gatewayOrigin);
    await app.register(fastifyStatic, {
      root: join(opts.dir, 'assets'),
      prefix: '/assets/',
      // One route per built file, no wildcard: nothing outside /assets/ can ever be shadowed.
      wildcard: false,
      index: false,
      immutable: true,
      maxAge: '365d',
    });
    for (const path of SPA_PATHS) {
      app.get(path, { schema: { hide: true } }, async (_req, reply) =>
        reply
          .header('content-security-policy', csp)
          .header('x-content-type-options', 'nosniff')
          .header('referrer-policy', 'same-origin')
          .header('cache-control', 'no-cache')
          .type('text/html; charset=utf-8')
          .send(html));
    }
  };
}
