import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/helpers/db.js';
import { enqueueJob, getJob, jobErrors } from './index.js';
import { isAppError } from '../kernel/errors.js';

describe('enqueueJob', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db.dropAfter());

  it('writes nothing when the transaction rolls back', async () => {
    let id = '';
    await expect(
      db.transaction(async (tx) => {
        id = await enqueueJob(tx, 'send-welcome-email', { customer_id: 'cus_1' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(id).toMatch(/^job_[0-9a-z]{26}$/);
    expect(await getJob(db, id)).toBeUndefined();
  });

  it('writes a pending job with defaults when the transaction commits', async () => {
    const id = await db.transaction((tx) => enqueueJob(tx, 'send-welcome-email', { customer_id: 'cus_1', nested: { tenant_id: 'ten_1' } }));
    const job = await getJob(db, id);
    expect(job).toMatchObject({ type: 'send-welcome-email', status: 'pending', attempts: 0, max_attempts: 8, payload: { customer_id: 'cus_1', nested: { tenant_id: 'ten_1' } } });
    expect(new Date(job!.run_at).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('honours runAt and maxAttempts', async () => {
    const runAt = new Date(Date.now() + 3_600_000);
    const id = await db.transaction((tx) => enqueueJob(tx, 'capture-trial-end', { subscription_id: 'sub_1' }, { runAt, maxAttempts: 3 }));
    const job = await getJob(db, id);
    expect(job!.max_attempts).toBe(3);
    expect(new Date(job!.run_at).getTime()).toBe(runAt.getTime());
  });

  it('refuses a type that is not kebab-case', async () => {
    for (const type of ['sendWelcomeEmail', 'send_welcome', 'Send-welcome', '', '-x', 'x-']) {
      const err = await db.transaction((tx) => enqueueJob(tx, type, {})).catch((e) => e);
      expect(isAppError(err, jobErrors.job_type_invalid)).toBe(true);
    }
  });

  it('refuses a payload that carries a secret (GUIDE: job payloads never hold an OTP, token, PAN…)', async () => {
    for (const payload of [{ code: '123456' }, { email: 'a@b.c', nested: { Token: 'x' } }, { items: [{ pan: '4242' }] }]) {
      const err = await db.transaction((tx) => enqueueJob(tx, 'send-verification-code', payload)).catch((e) => e);
      expect(isAppError(err, jobErrors.job_payload_forbidden)).toBe(true);
      expect(String(err.message)).not.toContain('123456');
    }
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM outbox_jobs WHERE type = 'send-verification-code'`);
    expect(rows[0].n).toBe(0);
  });
});
