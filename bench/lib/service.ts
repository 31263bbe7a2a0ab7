import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What the service logged at warn or above (LOG_LEVEL=warn), plus a tail for diagnosis. */
export interface ServiceLogs {
  warn: number;
  error: number;
  other: number;
  tail: string[];
}

export interface Service {
  port: number;
  pid: number | undefined;
  logs: ServiceLogs;
  alive(): boolean;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<void>;
  /** SIGTERM (graceful: closes the DB, writes a CPU profile), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  killSync(): void;
}

/** Ask the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function watchLogs(child: ChildProcess): ServiceLogs {
  const logs: ServiceLogs = { warn: 0, error: 0, other: 0, tail: [] };
  const onLine = (line: string) => {
    if (!line.trim()) return;
    let level = 0;
    try {
      level = Number(JSON.parse(line).level) || 0;
    } catch {
      // not pino JSON (a crash trace, a loader message)
    }
    if (level >= 50) logs.error++;
    else if (level >= 40) logs.warn++;
    else logs.other++;
    logs.tail.push(line.length > 2000 ? `${line.slice(0, 2000)}…` : line);
    if (logs.tail.length > 30) logs.tail.shift();
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (d: string) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      lines.forEach(onLine);
    });
    stream?.on('end', () => onLine(buf));
  }
  return logs;
}

/**
 * Start `node --import tsx src/main.ts` as the real service would run (`entry`: another server script, such as the
 * floor's skeleton). With `asConfigured`, the bench's own settings (no per-IP rate limit, the risk rules that one
 * client would trip turned off) are left out.
 */
export function startService(opts: { port: number; env: Record<string, string>; cpuProfDir?: string; asConfigured?: boolean; entry?: string }): Service {
  const nodeArgs = ['--import', 'tsx'];
  if (opts.cpuProfDir) {
    mkdirSync(opts.cpuProfDir, { recursive: true });
    nodeArgs.unshift('--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`);
  }
  // The gateway's own listener (hosted pages) is unused by the bench: any free port, so runs never collide on 3001.
  const benchOnly = opts.asConfigured ? {} : {
    RATE_LIMIT_PER_MINUTE: '0', // one client IP sends everything: the per-IP budget would throttle the bench itself
    // One IP, one test card and instant forms are what the risk engine is there to catch: those rules are off here.
    RISK_SCORES: 'velocity_ip:0,velocity_card:0,bot_form_too_fast:0',
  };
  const env: Record<string, string | undefined> = { GATEWAY_PORT: '0', ...process.env, ...opts.env, PORT: String(opts.port), HOST: '127.0.0.1', ...benchOnly };
  // Settings the test runner's environment carries (vitest sets NODE_ENV=test) would not be there after `npm start`.
  if (opts.asConfigured) for (const k of ['NODE_ENV', 'RATE_LIMIT_PER_MINUTE', 'RISK_SCORES']) if (!(k in opts.env)) delete env[k];
  if (!opts.env.DATABASE_URL) delete env.DATABASE_URL; // an inherited one must not redirect a PGlite run
  const child = spawn(process.execPath, [...nodeArgs, opts.entry ?? 'src/main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const logs = watchLogs(child);
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    port: opts.port,
    pid: child.pid,
    logs,
    alive,
    exited,
    async stop(graceMs = 15_000) {
      if (!alive()) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => alive() && child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
    killSync() {
      if (alive()) child.kill('SIGKILL');
    },
  };
}

/** Poll GET /healthz until 200; fails if the child dies, the deadline passes or `signal` aborts. */
export async function waitHealthy(service: Service, timeoutMs: number, signal: AbortSignal): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    signal.throwIfAborted();
    if (!service.alive()) throw new Error(`service exited during start-up:\n${service.logs.tail.join('\n')}`);
    try {
      const { status, body } = await getOnce(service.port, '/healthz');
      if (status === 200) return JSON.parse(body);
      last = `status ${status}: ${body.slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(100, undefined, { signal }).catch(() => undefined);
  }
  throw new Error(`service not healthy after ${timeoutMs} ms (${last})`);
}

function getOnce(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('healthz timed out')));
    req.on('error', reject);
  });
}
