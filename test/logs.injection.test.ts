import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../src/kernel/logger.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, profile } from './helpers/flow.js';

const FORGED = '{"level":60,"msg":"forged","forged":true}';

/**
 * Log hygiene: user input with newlines, carriage returns, Unicode line separators or control characters
 * cannot forge a log line, and personal fields handed to the logger are censored.
 */
describe('logs: injection-safe, PII redacted', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    const id = (await call(t.app, 'POST', '/v1/enrollments', {})).body.id as string;
    for (const evil of [`\n${FORGED}`, `\r\n${FORGED}`, `\u2028${FORGED}`, `\u0085${FORGED}`, `\u001b[2K\r${FORGED}`]) {
      await t.app.inject({ method: 'GET', url: `/v1/enrollments/${encodeURIComponent(evil)}` });
      await t.app.inject({ method: 'GET', url: `/v1/enrollments/${id}?x=${encodeURIComponent(evil)}` });
      // A proxy or an in-process caller may hand over the characters undecoded.
      await t.app.inject({ method: 'GET', url: `/v1/enrollments/raw${evil.replace(/[\r\n]/g, '')}` }).catch(() => undefined);
      // Decoded by the router and echoed into validation errors: the body carries the raw characters.
      await call(t.app, 'PUT', `/v1/enrollments/${id}/profile`, profile(`a${evil}@example.com`, { given_name: `Eve${evil}` }));
      await call(t.app, 'POST', '/v1/sessions/password', { email: `x${evil}@example.com`, password: evil });
    }
    t.deps.logger.warn({ email: 'leak.me@example.com', ctx: { phone: '+4915100000001', given_name: 'Leaky', family_name: 'McLeak' } }, 'with personal fields');
    t.deps.logger.warn({ user_agent: `UA${FORGED}` }, 'ua');
  }, 60_000);
  afterAll(() => t.close());

  it('every line is one JSON object; none is forged', () => {
    const lines = t.logs.join('').split('\n').filter((l) => l.length > 0);
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(parsed.forged).toBeUndefined();
      expect(parsed.msg).not.toBe('forged');
    }
    // No raw separator a line-based collector or pretty printer would split on.
    expect(lines.filter((l) => /[\r\u2028\u2029\u0085\u001b]/.test(l))).toEqual([]);
  });

  it('personal fields given to the logger are censored', () => {
    const text = t.logs.join('');
    for (const leak of ['leak.me@example.com', '+4915100000001', 'Leaky', 'McLeak']) expect(text).not.toContain(leak);
    expect(text).toContain('[redacted]');
  });

  it('a request whose URL carries raw separators and control characters is logged escaped', () => {
    const out: string[] = [];
    const logger = createLogger({ level: 'info', destination: new Writable({ write(c, _e, cb) { out.push(String(c)); cb(); } }) });
    logger.info({ req: { method: 'GET\u2028', url: `/v1/x\u2028${FORGED}\u0085\u001b[2K\u202e` } }, 'request');
    expect(out).toHaveLength(1);
    expect(/[\u2028\u0085\u001b\u202e]/.test(out[0]!)).toBe(false);
    expect(JSON.parse(out[0]!).req.url).toContain('\\u2028');
  });
});
