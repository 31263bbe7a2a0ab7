import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Refuse anything but a loopback server: the bench never sends traffic elsewhere. */
export function assertLoopback(url: string): URL {
  const u = new URL(url);
  if (!LOOPBACK.has(u.hostname)) throw new Error(`--pg-url must point to a loopback host (got ${u.hostname})`);
  return u;
}

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Create a fresh, uniquely named database; returns its name and connection URL. */
export async function createScratchDatabase(adminUrl: string): Promise<{ name: string; url: string }> {
  const admin = assertLoopback(adminUrl);
  const name = `enroll_bench_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(admin.href);
  url.pathname = `/${name}`;
  return { name, url: url.href };
}

/** FORCE ends any session still connected (e.g. a service killed mid-run). */
export async function dropScratchDatabase(adminUrl: string, name: string): Promise<void> {
  if (!/^enroll_bench_[0-9a-f]+$/.test(name)) throw new Error(`refusing to drop ${name}: not a bench database`);
  await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** For a forced exit, where nothing can be awaited: the same drop, in a short-lived child process. */
export function dropScratchDatabaseSync(adminUrl: string, name: string): void {
  if (!/^enroll_bench_[0-9a-f]+$/.test(name)) return;
  const script = `const pg = (await import('pg')).default; const c = new pg.Client(process.env.ADMIN_URL);
    await c.connect(); await c.query('DROP DATABASE IF EXISTS "${name}" WITH (FORCE)'); await c.end();`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('../../', import.meta.url), env: { ...process.env, ADMIN_URL: adminUrl }, timeout: 10_000, stdio: 'ignore',
  });
  if (r.status !== 0) throw new Error(`could not drop ${name}`);
}

/** Pids of the backends connected to `name`, for CPU accounting; uses its own admin session. */
export async function openBackendLister(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  return {
    async list(): Promise<number[]> {
      const r = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name]);
      return r.rows.map((x) => x.pid);
    },
    close: () => client.end(),
  };
}
