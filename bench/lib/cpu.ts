import { readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * CPU accounting for the measured window (Linux /proc; null elsewhere). On a
 * shared 2-core box throughput is set by CPU, so "CPU ms per enrollment" per
 * party is the number that survives noise from other work on the machine.
 */
export interface CpuUsage {
  window_ms: number;
  cores: number;
  /** 1-minute load average when measuring began: above `cores`, other work was competing. */
  load_avg_1m_at_start: number;
  /** All threads of the service process. */
  service_ms: number | null;
  /** This process (load generator + HTTP client). */
  bench_ms: number;
  /** PostgreSQL backends connected to the scratch database (postgres mode only). */
  postgres_ms: number | null;
  /** Whole machine busy time; `other` = busy − the parties above (other work, kernel, PG background). */
  host_busy_ms: number | null;
  other_ms: number | null;
}

const TICK_MS = 10; // USER_HZ is 100 on every Linux we run on

function procCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS; // utime + stime
  } catch {
    return null;
  }
}

function hostBusyMs(): number | null {
  try {
    const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const n = v.map(Number);
    const total = n.slice(0, 8).reduce((a, b) => a + b, 0); // user … steal (guest is inside user)
    return (total - n[3] - n[4]) * TICK_MS; // minus idle, iowait
  } catch {
    return null;
  }
}

/** Start a sampler; `postgresPids` (optional) lists the backends serving the service. */
export function startCpuSampler(servicePid: number | undefined, postgresPids?: () => Promise<number[]>) {
  const t0 = Date.now();
  const load0 = Math.round(os.loadavg()[0] * 100) / 100;
  const bench0 = process.cpuUsage();
  const service0 = servicePid ? procCpuMs(servicePid) : null;
  const host0 = hostBusyMs();
  const pg = new Map<number, { first: number; last: number }>();
  let firstRound = true;
  const samplePg = async () => {
    if (!postgresPids) return;
    const pids = await postgresPids().catch(() => [] as number[]);
    for (const pid of pids) {
      const ms = procCpuMs(pid);
      if (ms === null) continue;
      const seen = pg.get(pid);
      // A backend first seen later was started during the window: all its CPU counts.
      if (seen) seen.last = ms;
      else pg.set(pid, { first: firstRound ? ms : 0, last: ms });
    }
    firstRound = false;
  };
  const ready = samplePg();
  const timer = setInterval(() => void samplePg(), 1000);
  return {
    ready,
    async stop(): Promise<CpuUsage> {
      clearInterval(timer);
      await ready;
      await samplePg();
      const b = process.cpuUsage(bench0);
      const bench = (b.user + b.system) / 1000;
      const s1 = servicePid ? procCpuMs(servicePid) : null;
      const service = service0 !== null && s1 !== null ? s1 - service0 : null;
      const postgres = postgresPids ? [...pg.values()].reduce((a, p) => a + p.last - p.first, 0) : null;
      const h1 = hostBusyMs();
      const host = host0 !== null && h1 !== null ? h1 - host0 : null;
      return {
        window_ms: Date.now() - t0,
        load_avg_1m_at_start: load0,
        cores: os.cpus().length,
        service_ms: service,
        bench_ms: Math.round(bench),
        postgres_ms: postgres,
        host_busy_ms: host,
        other_ms: host !== null ? Math.max(0, host - bench - (service ?? 0) - (postgres ?? 0)) : null,
      };
    },
  };
}
