import { describe, expect, it } from 'vitest';
import { loadConfig } from './index.js';

describe('RETENTION_UNFINISHED_DAYS', () => {
  it('defaults to 30 days, takes whole positive days, and refuses 0 (which would purge enrollments in progress)', () => {
    expect(loadConfig({}).retention).toEqual({ unfinishedDays: 30 });
    expect(loadConfig({ RETENTION_UNFINISHED_DAYS: '7' }).retention).toEqual({ unfinishedDays: 7 });
    expect(() => loadConfig({ RETENTION_UNFINISHED_DAYS: '0' })).toThrow(/RETENTION_UNFINISHED_DAYS/);
    expect(() => loadConfig({ RETENTION_UNFINISHED_DAYS: '1.5' })).toThrow(/RETENTION_UNFINISHED_DAYS/);
  });
});
