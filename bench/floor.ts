/**
 * The floor: how many "enrollments" per second the service's skeleton reaches on this machine when the
 * steps do no business at all (bench/floor-server.ts). Each one is 10 HTTP calls over keep-alive, one more than
 * a real enrollment's 9 (its mailbox poll included): one insert, then 9 transactions of 7 statements (a read, 5
 * deferred inserts, a last update): 64 statements, 82 with BEGIN and COMMIT, where a real enrollment sends about
 * 79 in all. On PostgreSQL, with the same HTTP client and CPU accounting as the bench.
 *
 *   npx tsx bench/floor.ts [--count 3000] [--concurrency 16] [--pg-url postgres://postgres@127.0.0.1:5432/postgres]
 */
import { setMaxListeners } from 'node:events';
import { parseArgs } from 'node:util';
import { createCleanup } from './lib/cleanup.js';
import { startCpuSampler } from './lib/cpu.js';
import { createHttpClient } from './lib/http-client.js';
import { createScratchDatabase, dropScratchDatabase, dropScratchDatabaseSync, openBackendLister } from './lib/postgres.js';
import { freePort, startService, waitHealthy } from './lib/service.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '16' }, 'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' } },
});
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const adminUrl = values['pg-url']!;
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
  console.error('usage: npx tsx bench/floor.ts [--count N] [--concurrency N] [--pg-url URL]  (N: positive integers)');
  process.exit(64);
}

const log = (msg: string) => console.error(`[floor] ${msg}`);
const abort = new AbortController();
setMaxListeners(concurrency * 4 + 16, abort.signal); // one listener per request in flight
const cleanup = createCleanup(log);
process.on('exit', () => cleanup.releaseAllSync());
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => abort.abort(new Error(`stopped by ${sig}`)));

let status = 0;
try {
  const scratch = await createScratchDatabase(adminUrl);
  cleanup.add({
    name: `database ${scratch.name}`, leftover: `database ${scratch.name}`,
    release: () => dropScratchDatabase(adminUrl, scratch.name), releaseSync: () => dropScratchDatabaseSync(adminUrl, scratch.name),
  });
  const server = startService({ port: await freePort(), env: { DATABASE_URL: scratch.url }, entry: 'bench/floor-server.ts' });
  cleanup.add({ name: 'floor server', release: () => server.stop(), releaseSync: () => server.killSync() });
  await waitHealthy(server, 60_000, abort.signal);
  const client = createHttpClient({ port: server.port, sockets: concurrency + 2, timeoutMs: 30_000, signal: abort.signal });
  cleanup.add({ name: 'http client', release: () => client.close(), releaseSync: () => void client.close() });
  const one = async () => {
    const start = await client.request('POST', '/e', {});
    if (start.status !== 201) throw new Error(`start: ${start.status} ${JSON.stringify(start.body)}`);
    for (let step = 1; step <= 9; step++) {
      const r = await client.request('POST', `/e/${start.body.id}/${step}`, {});
      if (r.status !== 200) throw new Error(`step ${step}: ${r.status} ${JSON.stringify(r.body)}`);
    }
  };
  const run = async (n: number) => {
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => { while (next < n) { next++; await one(); } }));
  };
  await run(200); // warm-up: JIT, pool, prepared statements
  const backends = await openBackendLister(adminUrl, scratch.name);
  cleanup.add({ name: 'admin session', release: () => backends.close() });
  const sampler = startCpuSampler(server.pid, backends.list);
  await sampler.ready;
  const t0 = performance.now();
  await run(count);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = await sampler.stop();
  const per = (ms: number | null) => (ms === null ? '-' : `${(ms / count).toFixed(1)} ms`);
  console.log(`floor: ${(count / seconds).toFixed(1)} skeleton enrollments/s (${count} at concurrency ${concurrency}, ${seconds.toFixed(2)} s)`);
  console.log(`CPU per enrollment  server ${per(cpu.service_ms)}   postgres ${per(cpu.postgres_ms)}   load generator ${per(cpu.bench_ms)}   other ${per(cpu.other_ms)}`);
} catch (err) {
  log(`error: ${(err as Error).message}`);
  status = abort.signal.aborted ? 130 : 1;
} finally {
  await cleanup.releaseAll();
}
process.exit(status);
