import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startService, waitHealthy, type Service } from '../bench/lib/service.js';
import { loadConfig } from '../src/config/index.js';

const MIN_FORM_SECONDS = loadConfig({}).risk.minFormSeconds;

/**
 * The README's curl walk-through, run as written: every ```bash block of the section, in order, in one bash session,
 * against the service as `npm start` runs it (PGlite in a fresh data directory, the README's keys). The one change is
 * where the server listens: a free port instead of 3000, so a developer's own server is never hit.
 */
function walkthroughScript(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Walk-through'), readme.indexOf('## Beyond the walk-through'));
  const blocks = [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
  // A person pastes the profile block seconds after starting the enrollment; at machine speed the risk engine's
  // minimum form time (bot_form_too_fast) rightly counts it against the sign-up. So the pace, not the text, is a person's.
  return blocks.map((b) => (b.includes('/profile') ? `sleep ${MIN_FORM_SECONDS + 0.2}\n${b}` : b)).join('\n');
}

/** With TEST_DATABASE_URL, the service runs on a fresh PostgreSQL database (DATABASE_URL), as the README says it can. */
async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

describe('README walk-through', () => {
  let service: Service;
  let dataDir: string;
  let health: { database: string };
  const pgName = `enroll_readme_${randomBytes(4).toString('hex')}`;
  const pgUrl = () => Object.assign(new URL(process.env.TEST_DATABASE_URL!), { pathname: `/${pgName}` }).toString();
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'enroll-readme-'));
    if (process.env.TEST_DATABASE_URL) await adminQuery(`CREATE DATABASE ${pgName}`);
    const port = await freePort();
    service = startService({
      port,
      env: {
        ADMIN_API_KEY: 'dev-admin-key', PARTNER_API_KEYS: 'acme:secret', DATA_DIR: dataDir, PUBLIC_URL: `http://localhost:${port}`, LOG_LEVEL: 'warn',
        ...(process.env.TEST_DATABASE_URL && { DATABASE_URL: pgUrl() }),
      },
      asConfigured: true,
    });
    health = (await waitHealthy(service, 60_000, new AbortController().signal)) as { database: string };
  }, 90_000);
  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (process.env.TEST_DATABASE_URL) await adminQuery(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
  });

  it('runs verbatim, from the plans to a completed enrollment, its welcome link, the tenant and the partner channel', () => {
    expect(health.database).toBe(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
    const script = walkthroughScript();
    expect(script).toContain('BASE=http://localhost:3000');
    const run = spawnSync('bash', ['-c', `set -eo pipefail\n${script.replace('BASE=http://localhost:3000', `BASE=http://localhost:${service.port}`)}`], {
      encoding: 'utf8', timeout: 60_000,
    });
    expect(run.stderr, run.stdout.slice(-3000)).toBe('');
    expect(run.status).toBe(0);
    const out = run.stdout;
    // What each step's README output shows, read from what the steps printed.
    expect(out).toMatch(/"status": "completed"/); // 10: completion
    expect(out).toMatch(/"status": "active"/); // its subscription
    expect(out).toMatch(/303 -> http:\/\/localhost:\d+\/(app|dashboard)/); // 12: the welcome link signs in
    expect(out).toMatch(/^ten_[0-9a-z]+$/m); // the dashboard shows the workspace
    expect(out).toMatch(/"owner"/); // 13: the tenant's roles
    expect(out).not.toMatch(/"code": "[a-z_]+"/); // no problem answer anywhere on the happy path
  }, 90_000);
});
