import os from 'node:os';
import type { CpuUsage } from './cpu.js';
import type { LoadResult } from './run-load.js';
import { STEPS } from './enrollment-flow.js';

export interface Dist {
  n: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles over the samples, in ms rounded to 0.1. */
export function distribution(samples: number[]): Dist | null {
  if (samples.length === 0) return null;
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, mean: r(s.reduce((a, b) => a + b, 0) / s.length), p50: r(at(50)), p90: r(at(90)), p99: r(at(99)), max: r(s[s.length - 1]) };
}

export interface Report {
  date: string;
  machine: { cpus: number; cpu_model: string; node: string; platform: string };
  database: string;
  concurrency: number;
  count: number;
  warmup: number;
  idempotency_keys: boolean;
  wall_seconds: number;
  enrollments_per_second: number;
  attempted: number;
  completed: number;
  failed: number;
  aborted: number;
  stopped_early: string | null;
  failures: Record<string, number>;
  mailbox_polls_per_enrollment: number;
  latency_ms: Record<string, Dist | null>;
  service_log_lines: { warn: number; error: number };
  /** CPU in the measured window: totals, and ms per completed enrollment (Linux only). */
  cpu: (CpuUsage & { per_enrollment_ms: Record<string, number | null> }) | null;
  /** Team bar: PostgreSQL ≥ 150 enrollments/s and p99 < 250 ms for every HTTP step, at concurrency 16. */
  target: { min_enrollments_per_second: number; max_step_p99_ms: number; met: boolean; misses: string[] };
}

export function buildReport(a: {
  database: string; concurrency: number; count: number; warmup: number; idempotencyKeys: boolean;
  load: LoadResult; cpu: CpuUsage | null; stoppedEarly: string | null; logs: { warn: number; error: number };
}): Report {
  const { load } = a;
  const latency: Record<string, Dist | null> = {};
  for (const s of STEPS) latency[s] = distribution(load.steps[s]);
  latency.enrollment = distribution(load.enrollment);
  const eps = load.wallMs > 0 ? load.completed / (load.wallMs / 1000) : 0;
  const misses: string[] = [];
  if (eps < 150) misses.push(`throughput ${eps.toFixed(1)}/s < 150/s`);
  for (const s of STEPS) {
    const d = latency[s];
    if (s !== 'code_delivery' && d && d.p99 >= 250) misses.push(`${s} p99 ${d.p99} ms >= 250 ms`);
  }
  if (load.failed > 0) misses.push(`${load.failed} failed enrollments`);
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    machine: { cpus: cpus.length, cpu_model: cpus[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}` },
    database: a.database,
    concurrency: a.concurrency,
    count: a.count,
    warmup: a.warmup,
    idempotency_keys: a.idempotencyKeys,
    wall_seconds: Math.round(load.wallMs) / 1000,
    enrollments_per_second: Math.round(eps * 10) / 10,
    attempted: load.attempted,
    completed: load.completed,
    failed: load.failed,
    aborted: load.aborted,
    stopped_early: a.stoppedEarly,
    failures: load.failures,
    mailbox_polls_per_enrollment: load.completed ? Math.round((load.mailboxPolls / load.completed) * 10) / 10 : 0,
    latency_ms: latency,
    service_log_lines: a.logs,
    cpu: a.cpu && {
      ...a.cpu,
      per_enrollment_ms: Object.fromEntries(
        (['service_ms', 'postgres_ms', 'bench_ms', 'other_ms', 'host_busy_ms'] as const).map((k) => {
          const v = a.cpu![k];
          return [k.replace(/_ms$/, ''), v === null || load.completed === 0 ? null : Math.round((v / load.completed) * 10) / 10];
        }),
      ),
    },
    target: { min_enrollments_per_second: 150, max_step_p99_ms: 250, met: misses.length === 0, misses },
  };
}

/** The human-readable form. */
export function formatReport(r: Report): string {
  const out: string[] = [];
  out.push(`Enroll bench  ${r.date}  (${r.machine.cpus} CPUs, ${r.machine.cpu_model}, node ${r.machine.node})`);
  out.push(`database          ${r.database}`);
  out.push(`concurrency       ${r.concurrency}`);
  out.push(`count             ${r.count} (+${r.warmup} warm-up, not measured)${r.idempotency_keys ? ', Idempotency-Key on every POST' : ''}`);
  out.push(`wall time         ${r.wall_seconds.toFixed(2)} s${r.stopped_early ? `  (stopped early: ${r.stopped_early})` : ''}`);
  out.push(`throughput        ${r.enrollments_per_second.toFixed(1)} completed enrollments/s`);
  out.push(`completed         ${r.completed} / ${r.count}   failed ${r.failed}   aborted ${r.aborted}   not started ${r.count - r.attempted}`);
  for (const [k, n] of Object.entries(r.failures).sort((x, y) => y[1] - x[1])) out.push(`  failure         ${String(n).padStart(5)} × ${k}`);
  out.push(`mailbox polls     ${r.mailbox_polls_per_enrollment} per enrollment`);
  out.push(`service logs      ${r.service_log_lines.warn} warn, ${r.service_log_lines.error} error lines`);
  if (r.cpu) {
    const c = r.cpu;
    const pct = (v: number | null) => (v === null ? '-' : `${((100 * v) / c.window_ms).toFixed(0)}%`);
    const per = (k: string) => (c.per_enrollment_ms[k] === null ? '-' : `${c.per_enrollment_ms[k]!.toFixed(1)} ms`);
    out.push(`CPU per enrollment  service ${per('service')}   postgres ${per('postgres')}   bench ${per('bench')}   other ${per('other')}`);
    out.push(`CPU utilisation     service ${pct(c.service_ms)} of a core   postgres ${pct(c.postgres_ms)}   bench ${pct(c.bench_ms)}   host busy ${pct(c.host_busy_ms)} of ${c.cores * 100}%`);
    out.push(`host load (1 min)   ${c.load_avg_1m_at_start} at start on ${c.cores} cores${c.load_avg_1m_at_start > c.cores ? ' — other work was competing for CPU' : ''}`);
  }
  out.push('');
  const cols = ['p50', 'p90', 'p99', 'max', 'mean'] as const;
  out.push(`${'latency (ms)'.padEnd(16)}${'n'.padStart(6)}${cols.map((c) => c.padStart(9)).join('')}`);
  for (const [step, d] of Object.entries(r.latency_ms)) {
    if (step === 'enrollment') out.push('-'.repeat(16 + 6 + 9 * cols.length));
    const label = step === 'code_delivery' ? 'code_delivery*' : step;
    out.push(`${label.padEnd(16)}${String(d?.n ?? 0).padStart(6)}${cols.map((c) => (d ? d[c].toFixed(1) : '-').padStart(9)).join('')}`);
  }
  out.push('* mailbox wait after send_code answered (outbox worker → dev mailbox), not an HTTP call');
  out.push('');
  out.push(`target (≥150/s, every HTTP step p99 < 250 ms): ${r.target.met ? 'met' : `NOT met — ${r.target.misses.join('; ')}`}`);
  return out.join('\n');
}
