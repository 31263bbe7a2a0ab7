/**
 * Verify the audit hash chains: `npm run audit:verify [-- --tenant ten_…]`. Same database config
 * as the service (DATABASE_URL or DATA_DIR; stop the service first on PGlite, which allows one
 * process). Prints `{ ok, events, first_broken? }` as JSON; exits 1 when a link is broken.
 */
import { verifyAuditChain } from '../src/audit/index.js';
import { loadConfig } from '../src/config/index.js';
import { assertConfinedRole, createPgliteDb, createPostgresDb, migrate } from '../src/db/index.js';

const i = process.argv.indexOf('--tenant');
const tenantId = i > 0 ? process.argv[i + 1] : undefined;
const config = loadConfig({ ...process.env, WORKER: 'off' });
const owner = config.databaseUrl ? createPostgresDb(config.databaseUrl, { max: 2 }) : await createPgliteDb(config.dataDir);
await migrate(owner);
// Verification reads as the app role, like the route: it proves nothing a confined reader could not see.
const db = owner.asRole(config.dbAppRole);
await assertConfinedRole(db);
const report = await verifyAuditChain(db, { tenantId });
console.log(JSON.stringify(report, null, 2));
await owner.close();
process.exit(report.ok ? 0 : 1);
