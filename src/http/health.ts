import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../deps.js';
import { migrationVersion } from '../db/index.js';
import { httpErrors } from './errors.js';

export function healthRoutes(deps: Pick<Deps, 'db'>): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', { schema: { tags: ['ops'], summary: 'Database kind and migration version' } }, async () => {
      try {
        return { status: 'ok', database: deps.db.kind, migration_version: await migrationVersion(deps.db) };
      } catch (err) {
        app.log.error({ err }, 'health check failed');
        throw httpErrors.service_unavailable();
      }
    });
  };
}
