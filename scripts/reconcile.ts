/**
 * Reconcile on demand: `npm run reconcile -- [--days 2]`. Uses the same config
 * as the service (DATABASE_URL or DATA_DIR; stop the service first on PGlite,
 * which allows one process). Prints the report as JSON.
 */
// The app's modules register every error code on import; the boot-time translation check expects all of them.
import '../src/app.js';
import { loadConfig } from '../src/config/index.js';
import { createDeps } from '../src/deps.js';
import { createLogger } from '../src/kernel/logger.js';
import { reconcile } from '../src/reconciliation/index.js';

const i = process.argv.indexOf('--days');
const days = i > 0 ? Number(process.argv[i + 1]) : 2;
const config = loadConfig({ ...process.env, WORKER: 'off' });
const deps = await createDeps(config, createLogger({ level: 'warn' }));
const now = new Date();
const report = await reconcile(deps, { since: new Date(now.getTime() - days * 86_400_000), until: now, now });
console.log(JSON.stringify(report, null, 2));
await deps.db.close();
process.exit(report.summary.to_review > 0 ? 1 : 0);
