import { parseArgs } from 'node:util';

export interface BenchOptions {
  db: 'pglite' | 'postgres';
  concurrency: number;
  count: number;
  warmup: number;
  maxSeconds: number;
  pollMs: number;
  json: boolean;
  idempotencyKeys: boolean;
  pgUrl: string;
  /** When set, the service runs with --cpu-prof and writes its profile here. */
  cpuProfDir?: string;
}

export const USAGE = `npm run bench -- [options]
  --db pglite|postgres   database behind the service (default pglite)
  --concurrency N        enrollments in flight at once (default 16)
  --count N              measured enrollments (default 500)
  --warmup N             enrollments run first and not measured (default 20)
  --max-seconds N        hard limit for the whole run; then report what we have (default 300)
  --poll-ms N            pause before asking the mailbox again after an answer without a code (default 5)
  --idempotency-keys     send an Idempotency-Key on every POST, as a careful client would
  --pg-url URL           admin URL used to create/drop the scratch database
                         (default postgres://postgres@127.0.0.1:5432/postgres; loopback only)
  --cpu-prof DIR         run the service under node --cpu-prof, profile written to DIR
  --json                 print one JSON object instead of the table
  -h, --help`;

function int(name: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min} (got ${raw})`);
  return n;
}

/** Parse argv with node's util.parseArgs; throws with a readable message on bad input. */
export function parseBenchArgs(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      db: { type: 'string', default: 'pglite' },
      concurrency: { type: 'string', default: '16' },
      count: { type: 'string', default: '500' },
      warmup: { type: 'string', default: '20' },
      'max-seconds': { type: 'string', default: '300' },
      'poll-ms': { type: 'string', default: '5' },
      'idempotency-keys': { type: 'boolean', default: false },
      'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
      'cpu-prof': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (values.db !== 'pglite' && values.db !== 'postgres') throw new Error(`--db must be pglite or postgres (got ${values.db})`);
  return {
    db: values.db,
    concurrency: int('concurrency', values.concurrency!, 1),
    count: int('count', values.count!, 1),
    warmup: int('warmup', values.warmup!, 0),
    maxSeconds: int('max-seconds', values['max-seconds']!, 1),
    pollMs: int('poll-ms', values['poll-ms']!, 1),
    json: values.json!,
    idempotencyKeys: values['idempotency-keys']!,
    pgUrl: values['pg-url']!,
    cpuProfDir: values['cpu-prof'],
  };
}
