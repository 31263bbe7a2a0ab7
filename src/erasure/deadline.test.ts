import { describe, expect, it } from 'vitest';
import { erasureDeadline, regimeFor } from './deadline.js';

describe('erasureDeadline', () => {
  it('GDPR: one calendar month, clamped to the end of a shorter month', () => {
    expect(erasureDeadline('gdpr', new Date('2026-03-15T10:00:00Z')).toISOString()).toBe('2026-04-15T10:00:00.000Z');
    expect(erasureDeadline('gdpr', new Date('2026-01-31T10:00:00Z')).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(erasureDeadline('gdpr', new Date('2028-01-31T00:00:00Z')).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(erasureDeadline('gdpr', new Date('2026-12-20T00:00:00Z')).toISOString()).toBe('2027-01-20T00:00:00.000Z');
  });

  it('CCPA: 45 days', () => {
    expect(erasureDeadline('ccpa', new Date('2026-11-25T12:00:00Z')).toISOString()).toBe('2027-01-09T12:00:00.000Z');
  });

  it('picks CCPA for US customers, GDPR otherwise', () => {
    expect(regimeFor('US')).toBe('ccpa');
    expect(regimeFor('DE')).toBe('gdpr');
  });
});
