/**
 * The floor: how many "enrollments" per second the service's skeleton reaches on this machine when the
 * steps do no business at all (bench/floor-server.ts). Each one is 10 HTTP calls over keep-alive, as an
 * enrollment is (9 steps and a mailbox poll): one insert, then 9 transactions of 8 statements each (a read,
 * 5 deferred inserts, a last update, BEGIN and COMMIT not counted), so about as many calls, transactions
 * and statements as a real enrollment, on PostgreSQL, with the same client and CPU accounting as the bench.
 *
 *   npx tsx bench/floor.ts [--count 3000] [--concurrency 16] [--pg-url postgres://postgres@127.0.0.1:5432/postgres]
 */
import { spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { parseArgs } from 'node:util';
import { startCpuSampler } from './lib/cpu.js';
import { createHttpClient } from './lib/http-client.js';
import { createScratchDatabase, dropScratchDatabase, openBackendLister } from './lib/postgres.js';
import { freePort, waitHealthy, type Service } from './lib/service.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '16' }, 'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' } },
});
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const adminUrl = values['pg-url']!;

const scratch = await createScratchDatabase(adminUrl);
const port = await freePort();
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/floor-server.ts'], {
  cwd: new URL('../', import.meta.url), env: { ...process.env, DATABASE_URL: scratch.url, PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit'],
});
const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
const abort = new AbortController();
setMaxListeners(concurrency * 4 + 16, abort.signal); // one listener per request in flight
try {
  const service = { port, pid: child.pid, alive: () => child.exitCode === null, logs: { tail: [] } } as unknown as Service;
  await waitHealthy(service, 60_000, abort.signal);
  const client = createHttpClient({ port, sockets: concurrency + 2, timeoutMs: 30_000, signal: abort.signal });
  const one = async () => {
    const { body } = await client.request('POST', '/e', {});
    for (let step = 1; step <= 9; step++) {
      const r = await client.request('POST', `/e/${body.id}/${step}`, {});
      if (r.status !== 200) throw new Error(`step ${step}: ${r.status} ${JSON.stringify(r.body)}`);
    }
  };
  const run = async (n: number) => {
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => { while (next < n) { next++; await one(); } }));
  };
  await run(200); // warm-up: JIT, pool, prepared statements
  const backends = await openBackendLister(adminUrl, scratch.name);
  const sampler = startCpuSampler(child.pid, backends.list);
  await sampler.ready;
  const t0 = performance.now();
  await run(count);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = await sampler.stop();
  await backends.close();
  client.close();
  const per = (ms: number | null) => (ms === null ? '-' : `${(ms / count).toFixed(1)} ms`);
  console.log(`floor: ${(count / seconds).toFixed(1)} skeleton enrollments/s (${count} at concurrency ${concurrency}, ${seconds.toFixed(2)} s)`);
  console.log(`CPU per enrollment  server ${per(cpu.service_ms)}   postgres ${per(cpu.postgres_ms)}   load generator ${per(cpu.bench_ms)}   other ${per(cpu.other_ms)}`);
} finally {
  child.kill('SIGTERM');
  await exited;
  await dropScratchDatabase(adminUrl, scratch.name);
}
