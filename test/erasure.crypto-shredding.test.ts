import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, enrollUpToPayment, profile } from './helpers/flow.js';
import { sessionCookie } from './helpers/passkey-owner.js';

const PERSON = { email: 'Zyx.Erasure@Example.com', given_name: 'Zyxwina', family_name: 'Quorbeck', phone: '+4915123400077' };
const OTHER = { email: 'keeps.her.data@example.com', given_name: 'Ottilie', family_name: 'Bleibtreu', phone: '+4915123400088' };
const SEALED = /^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/;

async function dumpAll(t: TestApp): Promise<Record<string, unknown[]>> {
  const tables = await t.db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
  const out: Record<string, unknown[]> = {};
  for (const { table_name } of tables.rows) out[table_name] = (await t.db.query(`SELECT * FROM ${table_name}`)).rows;
  return out;
}

/** Every sealed-looking value in the dump that some stored subject key opens, as clear JSON. */
async function openable(t: TestApp, dump: Record<string, unknown[]>): Promise<string[]> {
  const subjects = (await t.db.query<{ subject_id: string }>('SELECT subject_id FROM subject_keys')).rows.map((r) => r.subject_id);
  const sealed = new Set<string>();
  JSON.stringify(dump, (_k, v) => (typeof v === 'string' && SEALED.test(v) && sealed.add(v), v));
  const clear: string[] = [];
  for (const s of sealed) {
    for (const subject of subjects) {
      const v = await t.deps.vault.open(t.deps.db, subject, s).catch(() => null);
      if (v !== null) clear.push(JSON.stringify(v));
    }
  }
  return clear;
}

const needles = (p: typeof PERSON) => [p.email, p.email.toLowerCase(), p.given_name, p.family_name, p.phone, p.phone.slice(1)];
const found = (text: string, p: typeof PERSON) => needles(p).filter((n) => text.toLowerCase().includes(n.toLowerCase()));

async function signedInCustomer(t: TestApp, p: typeof PERSON) {
  // An earlier, abandoned try with the same address: its copy of the profile must go too.
  const first = (await call(t.app, 'POST', '/v1/enrollments', {})).body.id as string;
  await call(t.app, 'PUT', `/v1/enrollments/${first}/profile`, profile(p.email, { given_name: p.given_name, family_name: p.family_name, phone: p.phone }));
  const { id } = await enrollUpToPayment(t.app, t.deps, p.email, { profile: { given_name: p.given_name, family_name: p.family_name, phone: p.phone } });
  const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`);
  expect(done.status).toBe(200);
  await t.deps.worker.drain();
  const mail = await call(t.app, 'GET', `/dev/mailbox?to=${encodeURIComponent(p.email)}`);
  const link = /\/app\?token=([\w-]+)/.exec(mail.body.messages.at(-1).text)![1];
  const cookie = sessionCookie(await t.app.inject({ method: 'GET', url: `/app?token=${link}` }));
  return { customerId: done.body.customer_id as string, enrollmentId: id, firstTry: first, cookie, invoice: done.body.invoice };
}

describe('erasure by crypto-shredding: DELETE /v1/customers/{id}', () => {
  let t: TestApp;
  let subject: Awaited<ReturnType<typeof signedInCustomer>>;
  let other: Awaited<ReturnType<typeof signedInCustomer>>;
  let before: Record<string, unknown[]>;

  beforeAll(async () => {
    t = await createTestApp();
    subject = await signedInCustomer(t, PERSON);
    other = await signedInCustomer(t, OTHER);
    before = await dumpAll(t);
  }, 120_000);
  afterAll(() => t.close());

  it('before: the PII exists only sealed (never in clear), and the scan can open it', async () => {
    expect(found(JSON.stringify(before), PERSON)).toEqual([]);
    const clear = (await openable(t, before)).join('\n');
    expect(found(clear, PERSON).length).toBeGreaterThanOrEqual(4);
    expect((await call(t.app, 'GET', '/v1/sessions/current', undefined, subject.cookie)).status).toBe(200);
  });

  it('needs the admin key or the customer\'s own session; someone else\'s id is not found', async () => {
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/customers/${subject.customerId}` })).statusCode).toBe(401);
    const foreign = await t.app.inject({ method: 'DELETE', url: `/v1/customers/${subject.customerId}`, headers: other.cookie });
    expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'erasure_customer_not_found']);
    const unknown = await t.app.inject({ method: 'DELETE', url: '/v1/customers/cus_unknown', headers: { authorization: 'Bearer admin-test-key' } });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'erasure_customer_not_found']);
  });

  it('answers 202 with the request and its GDPR deadline; the session cookie stops working at once', async () => {
    const started = Date.now();
    const res = await t.app.inject({ method: 'DELETE', url: `/v1/customers/${subject.customerId}`, headers: subject.cookie });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ id: expect.stringMatching(/^era_/), customer_id: subject.customerId, regime: 'gdpr', status: 'pending' });
    const requested = new Date(body.requested_at);
    const expected = new Date(requested);
    expected.setUTCMonth(expected.getUTCMonth() + 1);
    if (requested.getUTCDate() === expected.getUTCDate()) expect(body.due_at).toBe(expected.toISOString());
    expect(new Date(body.due_at).getTime() - requested.getTime()).toBeGreaterThanOrEqual(28 * 86_400_000);
    expect((await call(t.app, 'GET', '/v1/sessions/current', undefined, subject.cookie)).status).toBe(401);
    expect(Date.now() - started).toBeLessThan(1000);
    // The other customer's session is untouched.
    expect((await call(t.app, 'GET', '/v1/sessions/current', undefined, other.cookie)).status).toBe(200);
    // A second request while one is open returns the open one.
    const again = await t.app.inject({ method: 'DELETE', url: `/v1/customers/${subject.customerId}`, headers: { authorization: 'Bearer admin-test-key' } });
    expect([again.statusCode, again.json().id]).toEqual([202, body.id]);
    // The erasure runs as an outbox job.
    const jobs = await t.db.query(`SELECT payload FROM outbox_jobs WHERE type = 'erase-customer'`);
    expect(jobs.rows).toEqual([{ payload: { erasure_id: body.id } }]);
  });

  it('after the job: no PII of the subject in any table, neither in clear nor decryptable; the others keep theirs', async () => {
    await t.deps.worker.drain();
    const req = await t.db.query(`SELECT status, result FROM erasure_requests WHERE customer_id = $1`, [subject.customerId]);
    expect(req.rows[0]).toMatchObject({ status: 'completed', result: { subject_keys_shredded: 2, payment_methods_deleted: 1, gateway_customers_deleted: 1, customers: 1, enrollments: 2 } });
    const after = await dumpAll(t);
    for (const [table, rows] of Object.entries(after)) expect({ table, found: found(JSON.stringify(rows), PERSON) }).toEqual({ table, found: [] });
    const clear = (await openable(t, after)).join('\n');
    expect(found(clear, PERSON)).toEqual([]);
    expect(found(clear, OTHER).length).toBeGreaterThanOrEqual(4);
    const keys = await t.db.query('SELECT subject_id FROM subject_keys WHERE subject_id = ANY($1)', [[subject.enrollmentId, subject.firstTry]]);
    expect(keys.rows).toEqual([]);
    // Copies sealed before the erasure (a backup, a log of the row) stay unreadable too.
    expect(found((await openable(t, before)).join('\n'), PERSON)).toEqual([]);
    // The keyed hash is gone as well: the address may enrol again.
    expect((await t.db.query('SELECT email_hash, pii_sealed, erased_at FROM customers WHERE id = $1', [subject.customerId])).rows[0]).toMatchObject({ email_hash: null, pii_sealed: null, erased_at: expect.any(Date) });
  });

  it('the audit trail holds no PII, keeps its structure, and records the erasure', async () => {
    const audit = (await t.db.query('SELECT * FROM audit_events ORDER BY id')).rows;
    expect(audit.length).toBeGreaterThanOrEqual((before.audit_events as unknown[]).length + 3);
    expect(found(JSON.stringify(audit), PERSON)).toEqual([]);
    const actions = audit.filter((a) => a.subject_id === subject.customerId).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['customer.created', 'erasure.requested', 'session.revoked', 'customer.erased']));
    // Crypto-shredding rewrites no audit row: every hash chain still verifies after the erasure.
    const verify = await t.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: { authorization: 'Bearer admin-test-key' } });
    expect(verify.statusCode).toBe(200);
    expect(verify.json()).toMatchObject({ ok: true, events: audit.length });
    expect(verify.json().first_broken).toBeUndefined();
  });

  it('non-personal records stay: the invoice and its amounts, the payment', async () => {
    const inv = await t.db.query('SELECT number, total, currency, status FROM invoices WHERE id = $1', [subject.invoice.id]);
    expect({ ...inv.rows[0], total: Number(inv.rows[0].total) }).toMatchObject({ number: subject.invoice.number, total: subject.invoice.total, currency: subject.invoice.currency });
    expect(subject.invoice.total).toBeGreaterThan(0);
    const sub = await t.db.query('SELECT status FROM subscriptions WHERE customer_id = $1', [subject.customerId]);
    expect(sub.rows[0].status).toBe('canceled');
  });

  it('the gateway forgot the card: the PAN ciphertext is destroyed and the method cannot be charged', async () => {
    const pm = await t.db.query(
      `SELECT pm.id, pm.deleted_at, t.pan_ciphertext FROM gateway_payment_methods pm JOIN gateway_tokens t ON t.id = pm.token_id
        WHERE pm.id = (SELECT payment_method_id FROM subscriptions WHERE customer_id = $1)`,
      [subject.customerId],
    );
    expect(pm.rows[0]).toMatchObject({ deleted_at: expect.any(Date), pan_ciphertext: 'deleted' });
    await expect(t.deps.gateway.charge({ paymentMethodId: pm.rows[0].id, amount: 100, currency: 'EUR', idempotencyKey: 'after-erasure', capture: true }))
      .rejects.toMatchObject({ code: 'payment_method_invalid' });
    // The gateway customer made for this person is deleted too: nothing can be saved on it again.
    const gc = await t.db.query(
      `SELECT g.deleted_at FROM gateway_customers g JOIN payment_customers p ON p.gateway_customer_id = g.id WHERE p.customer_id = $1`, [subject.customerId]);
    expect(gc.rows).toEqual([{ deleted_at: expect.any(Date) }]);
  });

  it('the export (where it exists) answers 404 or holds no personal data; a new erasure request is 404', async () => {
    const exp = await t.app.inject({ method: 'GET', url: `/v1/customers/${subject.customerId}/export`, headers: { authorization: 'Bearer admin-test-key' } });
    expect(exp.statusCode === 404 || found(exp.body, PERSON).length === 0).toBe(true);
    const again = await t.app.inject({ method: 'DELETE', url: `/v1/customers/${subject.customerId}`, headers: { authorization: 'Bearer admin-test-key' } });
    expect(again.statusCode).toBe(404);
  });

  it('logs never held the subject\'s address, names or phone', () => {
    expect(found(t.logs.join('\n'), PERSON)).toEqual([]);
  });

  it('CCPA: the admin may name the regime; the deadline is 45 days', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: `/v1/customers/${other.customerId}`, headers: { authorization: 'Bearer admin-test-key' }, payload: { regime: 'ccpa' } });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.regime).toBe('ccpa');
    expect(new Date(body.due_at).getTime() - new Date(body.requested_at).getTime()).toBe(45 * 86_400_000);
  });
});
