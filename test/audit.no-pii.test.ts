import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { signedInOwner } from './helpers/owner.js';

describe('audit rows hold no personal data in clear', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await signedInOwner(t, 'Pii.Probe+Audit@Example.com');
  });
  afterAll(() => t.close());

  it('after a whole enrollment and sign-in: no email, name or IP; the email only as a keyed hash', async () => {
    const { rows } = await t.db.query<{ action: string; data: Record<string, unknown> }>(`SELECT action, data FROM audit_events`);
    expect(rows.length).toBeGreaterThan(10);
    const text = JSON.stringify(rows).toLowerCase();
    for (const clear of ['pii.probe', 'example.com', 'anna', 'muster', '127.0.0.1', 'lightmyrequest']) expect(text).not.toContain(clear);
    const submitted = rows.find((r) => r.action === 'enrollment.profile_submitted')!;
    expect(submitted.data.email_hash).toMatch(/^[0-9a-f]{64}$/);
    // Keyed (HMAC from APP_SECRET), so a dictionary of addresses cannot reverse it as it would a plain SHA-256.
    expect(submitted.data.email_hash).not.toBe(createHash('sha256').update('pii.probe+audit@example.com').digest('hex'));
    expect(Object.keys(Object.assign({}, ...rows.map((r) => r.data)))).not.toEqual(expect.arrayContaining(['email']));
  });
});
