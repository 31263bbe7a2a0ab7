/**
 * Master key rotation, step 2: `npm run vault:rewrap`. Step 1 was adding the new
 * version to PII_MASTER_KEYS (`1:old,2:new`) and restarting: new data keys are
 * wrapped under it, old ones still unwrap. This re-wraps every data key still
 * under an older version, online (compare-and-set per row). Step 3: remove the
 * old version from PII_MASTER_KEYS. Prints how many keys moved.
 */
// The app's modules register every error code on import; the boot-time translation check expects all of them.
import '../src/app.js';
import { loadConfig } from '../src/config/index.js';
import { createDeps } from '../src/deps.js';
import { createLogger } from '../src/kernel/logger.js';
import { rewrapSubjectKeys } from '../src/vault/index.js';

const config = loadConfig({ ...process.env, WORKER: 'off' });
const deps = await createDeps(config, createLogger({ level: 'warn' }));
const moved = await rewrapSubjectKeys(deps.db, deps.vault.keyManager, { now: new Date() });
console.log(JSON.stringify({ rewrapped: moved, key_version: deps.vault.keyManager.currentVersion }));
await deps.db.close();
