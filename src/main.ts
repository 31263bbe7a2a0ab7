import { buildApp } from './app.js';
import { loadConfig } from './config/index.js';
import { createDeps } from './deps.js';
import { buildGatewayApp } from './gateway-app.js';
import { createLogger } from './kernel/logger.js';

/** Process entry: config → deps → app → listen; the outbox worker runs in-process. */
const config = loadConfig();
const logger = createLogger({ level: config.logLevel });
const deps = await createDeps(config, logger);
const app = await buildApp(deps);
if (config.worker) deps.worker.start();
await app.listen({ port: config.port, host: config.host });
// The embedded sandbox gateway gets its own origin (hosted card fields, 3-D Secure); with Stripe there is none.
const gatewayApp = deps.sandboxGateway ? await buildGatewayApp(deps) : null;
await gatewayApp?.listen({ port: config.gatewayPort, host: config.host });
logger.info(
  { database: deps.db.kind, migration_version: deps.migrationVersion, dev_mode: config.devMode, url: config.publicUrl, gateway_url: gatewayApp ? config.gatewayPublicUrl : null },
  'enroll is listening',
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    await gatewayApp?.close();
    await deps.worker.stop();
    await deps.db.close();
    await deps.redis?.quit();
    process.exit(0);
  });
}
