import { loadConfig } from './config/index.js';
import { createDeps } from './deps.js';
import { createLogger } from './kernel/logger.js';

/**
 * A worker-only process (`npm run worker`): with PostgreSQL, run the API with
 * WORKER=off and as many of these as the outbox needs. Claims use
 * FOR UPDATE SKIP LOCKED, so workers never run one job twice at once.
 * PGlite is single-process: there the API runs the worker itself.
 */
const config = loadConfig();
const logger = createLogger({ level: config.logLevel });
if (!config.databaseUrl) {
  logger.error('npm run worker needs DATABASE_URL: embedded PGlite is single-process and the API runs its own worker');
  process.exit(1);
}
const deps = await createDeps(config, logger);
deps.worker.start();
logger.info({ database: deps.db.kind }, 'outbox worker running');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    await deps.worker.stop();
    await deps.db.close();
    await deps.redis?.quit();
    process.exit(0);
  });
}
