/**
 * Load benchmark: full web enrollments over loopback HTTP against the real
 * service in a child process. See bench/README.md. Usage: npm run bench -- --help
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseBenchArgs, USAGE, type BenchOptions } from './lib/args.js';
import { createCleanup } from './lib/cleanup.js';
import { createHttpClient } from './lib/http-client.js';
import { startCpuSampler } from './lib/cpu.js';
import { createScratchDatabase, dropScratchDatabase, dropScratchDatabaseSync, openBackendLister } from './lib/postgres.js';
import { buildReport, formatReport } from './lib/report.js';
import { runLoad, type LoadResult } from './lib/run-load.js';
import { freePort, startService, waitHealthy, type Service } from './lib/service.js';

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

let opts: BenchOptions;
try {
  const parsed = parseBenchArgs(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
    process.exit(0);
  }
  opts = parsed;
} catch (err) {
  console.error(`${(err as Error).message}\n\n${USAGE}`);
  process.exit(64);
}

const cleanup = createCleanup(log);
const abort = new AbortController();
// Every in-flight request and mailbox wait listens on this one signal.
setMaxListeners(opts.concurrency * 4 + 16, abort.signal);
let stoppedEarly: string | null = null;
let finished = false;
function stop(why: string) {
  if (abort.signal.aborted || finished) return;
  stoppedEarly = why;
  log(`stopping: ${why}`);
  abort.abort(new Error(why));
}
const deadline = setTimeout(() => stop(`time limit of ${opts.maxSeconds} s reached`), opts.maxSeconds * 1000);
let signals = 0;
let firstSignalAt = 0;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    // One Ctrl-C can arrive twice (from the terminal and relayed by tsx/npm): only a later one forces.
    if (signals > 0 && Date.now() - firstSignalAt < 1500) return;
    if (++signals === 1) firstSignalAt = Date.now();
    if (signals > 1) {
      log('forced exit');
      cleanup.releaseAllSync();
      process.exit(130);
    }
    stop(`interrupted by ${sig} (again to force)`);
  });
}
// Last resort (an unexpected throw, process.exit from elsewhere): never leave the service running.
process.on('exit', () => cleanup.releaseAllSync());

let scratchDb: string | undefined;

/** Provision the database, start the service and wait until it answers /healthz. */
async function bringUp(o: BenchOptions): Promise<Service> {
  const env: Record<string, string> = { LOG_LEVEL: 'warn', NODE_ENV: 'development', WORKER: 'on' };
  if (o.db === 'postgres') {
    const db = await createScratchDatabase(o.pgUrl);
    cleanup.add({
      name: `database ${db.name}`,
      release: () => dropScratchDatabase(o.pgUrl, db.name),
      releaseSync: () => dropScratchDatabaseSync(o.pgUrl, db.name),
      leftover: `PostgreSQL database ${db.name}`,
    });
    env.DATABASE_URL = db.url;
    scratchDb = db.name;
    log(`created database ${db.name}`);
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'enroll-bench-'));
    const rm = () => rmSync(dir, { recursive: true, force: true });
    cleanup.add({ name: `data dir ${dir}`, release: async () => rm(), releaseSync: rm });
    env.DATA_DIR = dir;
  }
  const service = startService({ port: await freePort(), env, cpuProfDir: o.cpuProfDir && resolve(o.cpuProfDir) });
  cleanup.add({ name: 'service', release: () => service.stop(), releaseSync: () => service.killSync() });
  const health = await waitHealthy(service, 90_000, abort.signal);
  log(`service up on 127.0.0.1:${service.port}: ${JSON.stringify(health)}`);
  void service.exited.then(() => stop('the service exited'));
  return service;
}

async function main(o: BenchOptions): Promise<number> {
  let service: Service | undefined;
  try {
    service = await bringUp(o);
    const client = createHttpClient({ port: service.port, sockets: o.concurrency + 2, timeoutMs: 30_000, signal: abort.signal });
    cleanup.add({ name: 'http agent', release: () => client.close(), releaseSync: () => void client.close() });
    const run = randomBytes(4).toString('hex');
    const common = { concurrency: o.concurrency, pollMs: o.pollMs, idempotencyKeys: o.idempotencyKeys, signal: abort.signal };
    let warm: LoadResult | undefined;
    if (o.warmup > 0) {
      log(`warm-up: ${o.warmup} enrollments`);
      warm = await runLoad(client, { ...common, count: o.warmup, emailOf: (i) => `bench-${run}-warmup${i}@example.com` });
      if (warm.failed > 0) log(`warm-up failures: ${JSON.stringify(warm.failures)}`);
    }
    abort.signal.throwIfAborted();
    log(`measuring: ${o.count} enrollments, concurrency ${o.concurrency}, database ${o.db}, run ${run}`);
    const backends = scratchDb ? await openBackendLister(o.pgUrl, scratchDb) : undefined;
    if (backends) cleanup.add({ name: 'admin session', release: () => backends.close() });
    const sampler = startCpuSampler(service.pid, backends?.list);
    await sampler.ready;
    const load = await runLoad(client, { ...common, count: o.count, emailOf: (i) => `bench-${run}-${i}@example.com` });
    const cpu = await sampler.stop();
    const report = buildReport({
      database: o.db, concurrency: o.concurrency, count: o.count, warmup: o.warmup, idempotencyKeys: o.idempotencyKeys,
      load, cpu, stoppedEarly, logs: { warn: service.logs.warn, error: service.logs.error },
    });
    console.log(o.json ? JSON.stringify({ ...report, warmup_failures: warm?.failures ?? {} }) : formatReport(report));
    if (service.logs.warn + service.logs.error > 0 && !o.json) log(`service log tail:\n${service.logs.tail.slice(-10).join('\n')}`);
    if (load.failed > 0 || (warm?.failed ?? 0) > 0) return 1;
    return stoppedEarly ? (signals > 0 ? 130 : 2) : 0;
  } catch (err) {
    const msg = abort.signal.aborted ? `stopped before measuring: ${stoppedEarly}` : (err as Error).message;
    if (o.json) console.log(JSON.stringify({ error: msg }));
    else log(`error: ${msg}`);
    if (service?.logs.tail.length) log(`service log tail:\n${service.logs.tail.slice(-10).join('\n')}`);
    return signals > 0 ? 130 : abort.signal.aborted ? 2 : 1;
  }
}

const code = await main(opts);
finished = true;
clearTimeout(deadline);
await cleanup.releaseAll();
if (opts.cpuProfDir) log(`CPU profiles in ${resolve(opts.cpuProfDir)}: ${readdirSync(resolve(opts.cpuProfDir)).join(', ')}`);
process.exit(code);
