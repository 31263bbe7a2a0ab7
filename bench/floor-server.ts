/**
 * The skeleton of the service with no business in it, for `bench/floor.ts`: the same Fastify, the same
 * pipelined `Db` adapter and the same shape of work per HTTP call as an enrollment step (a transaction
 * with one read, five deferred inserts and a last statement sent with COMMIT), on two trivial tables.
 * What it costs is the floor under every enrollment: no zod, no crypto, no audit chain, no RLS, no logic.
 */
import Fastify from 'fastify';
import { createPostgresDb } from '../src/db/index.js';

const db = createPostgresDb(process.env.DATABASE_URL!);
await db.exec(`
  CREATE TABLE IF NOT EXISTS floor_enrollments (id text PRIMARY KEY, step int NOT NULL, version int NOT NULL, updated_at timestamptz NOT NULL);
  CREATE TABLE IF NOT EXISTS floor_rows (id text PRIMARY KEY, enrollment_id text NOT NULL REFERENCES floor_enrollments, step int NOT NULL,
    data jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  CREATE INDEX IF NOT EXISTS floor_rows_enrollment ON floor_rows (enrollment_id);`);

let seq = 0;
const app = Fastify();
app.post('/e', async (_req, reply) => {
  const id = `e${process.pid}_${++seq}`;
  await db.query('INSERT INTO floor_enrollments (id, step, version, updated_at) VALUES ($1, 0, 0, now())', [id]);
  return reply.code(201).send({ id, step: 0 });
});
app.post<{ Params: { id: string; step: string } }>('/e/:id/:step', async (req) => {
  const step = Number(req.params.step);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ version: number }>('SELECT step, version FROM floor_enrollments WHERE id = $1', [req.params.id]);
    for (let k = 0; k < 5; k++) {
      tx.defer('INSERT INTO floor_rows (id, enrollment_id, step, data) VALUES ($1, $2, $3, $4)', [`r${process.pid}_${++seq}`, req.params.id, step, JSON.stringify({ k })]);
    }
    await tx.last('UPDATE floor_enrollments SET step = $2, version = version + 1, updated_at = now() WHERE id = $1 AND version = $3', [req.params.id, step, rows[0].version]);
    return { id: req.params.id, step };
  });
});
app.get('/healthz', async () => ({ ok: true }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void app.close().then(() => db.close()).then(() => process.exit(0)));
