/**
 * What one round trip to PostgreSQL costs on this machine: the floor under every statement the
 * service sends. N trivial named statements from 16 pooled connections; prints statements per
 * second and the client's CPU per statement (the server's is about the same again).
 *
 *   npx tsx bench/pg-roundtrip.ts [--url postgres://postgres@127.0.0.1:5432/postgres] [--count 20000]
 */
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({ options: { url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' }, count: { type: 'string', default: '20000' } } });
const count = Number(values.count);
const pool = new pg.Pool({ connectionString: values.url, max: 16 });
const run = async (n: number) => {
  for (let i = 0; i < n; i++) await pool.query({ name: 'roundtrip', text: 'SELECT $1::int AS x', values: [i] });
};
await Promise.all(Array.from({ length: 16 }, () => run(50))); // connect and prepare first
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(Array.from({ length: 16 }, () => run(Math.ceil(count / 16))));
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(`${Math.round((count / ms) * 1000)} statements/s; client CPU ${Math.round((cpu.user + cpu.system) / count)} µs per statement`);
await pool.end();
