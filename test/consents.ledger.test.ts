import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { signedInCustomer } from './helpers/customer.js';
import { call, enrollUpToPayment } from './helpers/flow.js';

const TEXTS = JSON.parse(readFileSync(new URL('../config/consent-texts.json', import.meta.url), 'utf8')).purposes;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const ADMIN = { authorization: 'Bearer admin-test-key' };
const VERSION = '2026-11-01';

/** Issue 6 part 1: the consent ledger. One row per event, evidence on each, state derived, withdrawal in one call. */
describe('consent ledger', () => {
  let t: TestApp;
  let n = 0;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  const customer = () => signedInCustomer(t.app, t.deps, `ledger-${n++}@example.com`);

  it('records the enrollment consents with purpose, basis, version, hash of the exact text shown, channel, time, IP, user agent and request id', async () => {
    const c = await customer();
    const res = await call(t.app, 'GET', `/v1/customers/${c.customerId}/consents`, undefined, c.headers);
    expect(res.status).toBe(200);
    const byPurpose = Object.fromEntries(res.body.ledger.map((e: any) => [e.purpose, e]));
    expect(Object.keys(byPurpose).sort()).toEqual(['marketing_email', 'privacy', 'terms']);
    // The enrollment ran in de-DE: the hash is of the German text of that version.
    expect(byPurpose.terms).toMatchObject({
      action: 'given', granted: true, lawful_basis: 'contract', policy_version: VERSION, locale: 'de', channel: 'web',
      text_sha256: sha256(TEXTS.terms.versions[VERSION].de), ip: '127.0.0.1', user_agent: expect.any(String),
    });
    expect(byPurpose.privacy).toMatchObject({ lawful_basis: 'legal_obligation', text_sha256: sha256(TEXTS.privacy.versions[VERSION].de) });
    expect(byPurpose.marketing_email).toMatchObject({ action: 'withdrawn', granted: false, lawful_basis: 'consent' });
    // The API opens them; at rest, the IP and user agent are sealed under the person's vault key, never in clear.
    const stored = await t.db.query(`SELECT client_sealed, client_subject FROM consent_records WHERE id = $1`, [byPurpose.terms.id]);
    expect(stored.rows[0].client_subject).toBe(c.enrollmentId);
    expect(stored.rows[0].client_sealed).toEqual(expect.any(String));
    expect(stored.rows[0].client_sealed).not.toContain('127.0.0.1');
    const enrollment = await t.db.query(`SELECT consents::text AS consents FROM enrollments WHERE id = $1`, [c.enrollmentId]);
    expect(enrollment.rows[0].consents).not.toContain('127.0.0.1');
    // Request id and time are the profile step's, where the text was shown and the boxes ticked.
    const submitted = await t.db.query(`SELECT request_id, occurred_at FROM audit_events WHERE action = 'enrollment.profile_submitted' AND subject_id = $1`, [c.enrollmentId]);
    expect(byPurpose.terms.request_id).toBe(submitted.rows[0].request_id);
    expect(new Date(byPurpose.terms.recorded_at).getTime()).toBeLessThanOrEqual(new Date(submitted.rows[0].occurred_at).getTime() + 1000);
    expect(byPurpose.terms.recorded_at).toMatch(/Z$/);
    expect(res.body.state.map((s: any) => [s.purpose, s.granted])).toEqual([['marketing_email', false], ['privacy', true], ['terms', true]]);
    // Clients can show exactly the text that is hashed.
    const policies = await call(t.app, 'GET', '/v1/consent-policies?locale=de-DE');
    expect(policies.body.policies.find((p: any) => p.purpose === 'terms')).toMatchObject({ text: TEXTS.terms.versions[VERSION].de, text_sha256: byPurpose.terms.text_sha256 });
  });

  it('gives and withdraws in one call each; a repeat writes nothing; the state follows the newest event', async () => {
    const c = await customer();
    const url = `/v1/customers/${c.customerId}/consents`;
    const give = await call(t.app, 'POST', url, { purpose: 'marketing_email', policy_version: VERSION }, { ...c.headers, 'user-agent': 'ConsentTest/1.0' });
    expect(give.status).toBe(201);
    expect(give.body).toMatchObject({ recorded: true, event: { action: 'given', channel: 'dashboard', user_agent: 'ConsentTest/1.0', request_id: give.headers['x-request-id'] } });
    expect(give.body.state.find((s: any) => s.purpose === 'marketing_email')).toMatchObject({ granted: true, event_id: give.body.event.id });
    const again = await call(t.app, 'POST', url, { purpose: 'marketing_email', policy_version: VERSION }, c.headers);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ recorded: false, event: { id: give.body.event.id } });
    const withdraw = await call(t.app, 'DELETE', `${url}/marketing_email`, undefined, c.headers);
    expect(withdraw.status).toBe(200);
    expect(withdraw.body).toMatchObject({ recorded: true, event: { action: 'withdrawn', granted: false, policy_version: VERSION, channel: 'dashboard' } });
    expect(withdraw.body.state.find((s: any) => s.purpose === 'marketing_email').granted).toBe(false);
    const ledger = (await call(t.app, 'GET', url, undefined, c.headers)).body.ledger.filter((e: any) => e.purpose === 'marketing_email');
    expect(ledger.map((e: any) => e.action)).toEqual(['withdrawn', 'given', 'withdrawn']);
    const audit = await t.db.query(`SELECT action, data FROM audit_events WHERE subject_id = $1 AND action LIKE 'consent.%' ORDER BY occurred_at, id`, [c.customerId]);
    expect(audit.rows.filter((r: any) => r.action !== 'consent.recorded').map((r: any) => [r.action, r.data.consent_event_id])).toEqual([
      ['consent.given', give.body.event.id], ['consent.withdrawn', withdraw.body.event.id],
    ]);
    // The audit row carries references, not the IP or user agent.
    expect(JSON.stringify(audit.rows)).not.toContain('ConsentTest');
  });

  it('refuses a stale text version, an unknown purpose, and withdrawing what does not rest on consent', async () => {
    const c = await customer();
    const url = `/v1/customers/${c.customerId}/consents`;
    const stale = await call(t.app, 'POST', url, { purpose: 'marketing_email', policy_version: '2020-01-01' }, c.headers);
    expect(stale.status).toBe(422);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.body).toMatchObject({ code: 'consent_policy_version_outdated', fields: { policy_version: ['policy_version_outdated'] } });
    expect((await call(t.app, 'POST', url, { purpose: 'telepathy', policy_version: VERSION }, c.headers)).body).toMatchObject({ code: 'request_validation_failed', fields: { purpose: expect.any(Array) } });
    expect((await call(t.app, 'DELETE', `${url}/telepathy`, undefined, c.headers)).body).toMatchObject({ status: 404, code: 'consent_purpose_unknown' });
    expect((await call(t.app, 'DELETE', `${url}/terms`, undefined, c.headers)).body).toMatchObject({ status: 409, code: 'consent_not_withdrawable' });
  });

  it('answers the owner and the admin; anyone else gets 401, another customer 404 as for no such customer', async () => {
    const a = await customer();
    const b = await customer();
    const url = `/v1/customers/${a.customerId}/consents`;
    expect((await call(t.app, 'GET', url)).body).toMatchObject({ status: 401, code: 'auth_required' });
    expect((await call(t.app, 'GET', url, undefined, { authorization: 'Bearer wrong' })).body).toMatchObject({ status: 401, code: 'auth_required' });
    const other = await call(t.app, 'GET', url, undefined, b.headers);
    expect(other.body).toMatchObject({ status: 404, code: 'compliance_customer_not_found' });
    const ghost = await call(t.app, 'GET', '/v1/customers/cus_00000000000000000000000000/consents', undefined, ADMIN);
    expect(ghost.body).toMatchObject({ status: 404, code: 'compliance_customer_not_found' });
    expect((await call(t.app, 'DELETE', `${url}/marketing_email`, undefined, b.headers)).status).toBe(404);
    const byAdmin = await call(t.app, 'POST', url, { purpose: 'data_sharing', policy_version: VERSION }, ADMIN);
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.event).toMatchObject({ channel: 'admin', lawful_basis: 'consent' });
    expect((await call(t.app, 'GET', url, undefined, ADMIN)).status).toBe(200);
  });

  it('is append-only in the database: UPDATE, DELETE and TRUNCATE of a customer\'s events are refused', async () => {
    const c = await customer();
    const id = (await t.db.query<{ id: string }>('SELECT id FROM consent_records WHERE customer_id = $1 LIMIT 1', [c.customerId])).rows[0]!.id;
    await expect(t.db.query(`UPDATE consent_records SET granted = NOT granted WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`UPDATE consent_records SET request_id = NULL WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM consent_records WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    // Retention's one exception: evidence of an enrollment that never completed goes with that enrollment.
    const open = (await call(t.app, 'POST', '/v1/enrollments', {}, { 'sec-gpc': '1' })).body.id;
    expect((await call(t.app, 'GET', `/v1/enrollments/${open}`, undefined, { 'sec-gpc': '1' })).status).toBe(200);
    expect((await t.db.query(`DELETE FROM consent_records WHERE enrollment_id = $1`, [open])).rowCount).toBe(1);
    await expect(t.db.exec('TRUNCATE consent_records')).rejects.toThrow(/append-only/);
    const still = await t.db.query(`SELECT count(*)::int AS n FROM consent_records WHERE customer_id = $1`, [c.customerId]);
    expect(still.rows[0].n).toBe(3);
  });

  describe('Global Privacy Control', () => {
    const sharing = async (customerId: string, headers: Record<string, string>) => {
      const res = await call(t.app, 'GET', `/v1/customers/${customerId}/consents`, undefined, headers);
      return res.body.ledger.filter((e: any) => e.purpose === 'data_sharing');
    };

    it('Sec-GPC: 1 on any request of a signed-in customer records the opt-out of sale and sharing, once', async () => {
      const c = await customer();
      await call(t.app, 'POST', `/v1/customers/${c.customerId}/consents`, { purpose: 'data_sharing', policy_version: VERSION }, c.headers);
      const gpc = { ...c.headers, 'sec-gpc': '1' };
      const res = await call(t.app, 'GET', `/v1/tenants/${c.tenantId}`, undefined, gpc);
      expect(res.status).toBe(200);
      const events = await sharing(c.customerId, c.headers);
      expect(events.map((e: any) => e.action)).toEqual(['given', 'withdrawn']);
      expect(events[1]).toMatchObject({ channel: 'gpc', lawful_basis: 'legal_obligation', request_id: res.headers['x-request-id'], ip: '127.0.0.1' });
      // Every later request carries the header too: no new row while the opt-out stands.
      await call(t.app, 'GET', '/v1/sessions/current', undefined, gpc);
      await call(t.app, 'GET', `/v1/customers/${c.customerId}/consents`, undefined, gpc);
      expect((await sharing(c.customerId, c.headers)).length).toBe(2);
      const state = (await call(t.app, 'GET', `/v1/customers/${c.customerId}/consents`, undefined, c.headers)).body.state;
      expect(state.find((s: any) => s.purpose === 'data_sharing')).toMatchObject({ granted: false, channel: 'gpc' });
    });

    it('on an enrollment\'s request it records the opt-out for that enrollment, which its customer then inherits', async () => {
      const email = `gpc-enr-${n++}@example.com`;
      const { id } = await enrollUpToPayment(t.app, t.deps, email);
      for (let i = 0; i < 3; i++) expect((await call(t.app, 'GET', `/v1/enrollments/${id}`, undefined, { 'sec-gpc': '1' })).status).toBe(200);
      const rows = await t.db.query(`SELECT customer_id, purpose, granted, channel FROM consent_records WHERE enrollment_id = $1`, [id]);
      expect(rows.rows).toEqual([{ customer_id: null, purpose: 'data_sharing', granted: false, channel: 'gpc' }]);
      const done = await call(t.app, 'POST', `/v1/enrollments/${id}/complete`, undefined, { 'sec-gpc': '1' });
      expect(done.status).toBe(200);
      const state = (await call(t.app, 'GET', `/v1/customers/${done.body.customer_id}/consents`, undefined, ADMIN)).body.state;
      expect(state.find((s: any) => s.purpose === 'data_sharing')).toMatchObject({ granted: false, channel: 'gpc' });
      expect((await t.db.query(`SELECT count(*)::int AS n FROM consent_records WHERE purpose = 'data_sharing' AND (enrollment_id = $1 OR customer_id = $2)`, [id, done.body.customer_id])).rows[0].n).toBe(1);
      // Now the customer's history: no longer deletable.
      await expect(t.db.query(`DELETE FROM consent_records WHERE enrollment_id = $1 AND customer_id IS NULL`, [id])).rejects.toThrow(/append-only/);
    });

    it('a burst of concurrent requests with the header still writes one opt-out', async () => {
      const c = await customer();
      const gpc = { ...c.headers, 'sec-gpc': '1' };
      const res = await Promise.all(Array.from({ length: 8 }, () => call(t.app, 'GET', '/v1/sessions/current', undefined, gpc)));
      expect(res.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect((await sharing(c.customerId, c.headers)).map((e: any) => e.channel)).toEqual(['gpc']);
    });

    it('an anonymous request identifies no one and records nothing; without the header nothing is recorded', async () => {
      const before = (await t.db.query(`SELECT count(*)::int AS n FROM consent_records WHERE channel = 'gpc'`)).rows[0].n;
      expect((await call(t.app, 'GET', '/v1/plans', undefined, { 'sec-gpc': '1' })).status).toBe(200);
      const c = await customer();
      await call(t.app, 'GET', `/v1/tenants/${c.tenantId}`, undefined, { ...c.headers, 'sec-gpc': '0' });
      expect((await t.db.query(`SELECT count(*)::int AS n FROM consent_records WHERE channel = 'gpc'`)).rows[0].n).toBe(before);
    });
  });
});
