import { describe, expect, it } from 'vitest';
import { withStage } from './assessment.js';
import { decide, reason } from './decide.js';
import { loadRiskPolicy } from './policy.js';
import type { Reason } from './rules.js';

const policy = loadRiskPolicy({ scores: {}, thresholds: { challenge: 30, review: 60, deny: 90 }, velocity: {}, minFormSeconds: 3, allowlist: [], blocklist: [] });
const r = (code: Reason['code'], score: number): Reason => ({ code, score });

describe('risk scoring and decision', () => {
  it.each([
    [[], 0, 'allow'],
    [[r('velocity_ip', 29)], 29, 'allow'],
    [[r('velocity_ip', 30)], 30, 'challenge'],
    [[r('email_disposable', 40), r('bot_form_too_fast', 20)], 60, 'review'],
    [[r('trial_card_reused', 60), r('velocity_card', 29)], 89, 'review'],
    [[r('trial_card_reused', 60), r('velocity_card', 30)], 90, 'deny'],
  ] as const)('%j scores %i: %s', (reasons, score, decision) => {
    expect(decide([...reasons], policy)).toEqual({ score, decision });
  });

  it('a blocklist hit denies whatever the score; it wins over the allowlist', () => {
    expect(decide([r('blocklisted', 0)], policy).decision).toBe('deny');
    expect(decide([r('allowlisted', 0), r('blocklisted', 1)], policy).decision).toBe('deny');
  });

  it('an allowlist hit allows whatever the score', () => {
    expect(decide([r('allowlisted', 0), r('bot_headless_ua', 95)], policy)).toEqual({ score: 95, decision: 'allow' });
  });

  it('scores come from the policy; a rule scored 0 is off and gives no reason', () => {
    const custom = loadRiskPolicy({ ...policyInput(), scores: { email_disposable: 75, velocity_ip: 0 } });
    expect(reason(custom, 'email_disposable')).toEqual([{ code: 'email_disposable', score: 75 }]);
    expect(reason(custom, 'velocity_ip')).toEqual([]);
    expect(reason(custom, 'allowlisted')).toEqual([{ code: 'allowlisted', score: 0 }]);
  });

  it('refuses unknown rule names in the overrides', () => {
    expect(() => loadRiskPolicy({ ...policyInput(), scores: { email_disposible: 10 } })).toThrow(/unknown rule/);
    expect(() => loadRiskPolicy({ ...policyInput(), velocity: { phone: { max: 1, windowSeconds: 1 } } })).toThrow(/unknown signal/);
  });

  it('stages add up, and a stage looked at again replaces its own reasons only', () => {
    const profile = withStage(null, 'profile', [r('email_disposable', 40)], policy, { ip_country: 'DE' });
    expect(profile).toMatchObject({ score: 40, decision: 'challenge', ip_country: 'DE' });
    const paid = withStage(profile, 'payment', [r('trial_card_reused', 60)], policy);
    expect(paid).toMatchObject({ score: 100, decision: 'deny', ip_country: 'DE' });
    const again = withStage(paid, 'payment', [], policy);
    expect(again).toMatchObject({ score: 40, decision: 'challenge' });
  });

  it('an approved review covers the reasons the reviewer saw, not new ones', () => {
    const held = withStage(null, 'profile', [r('email_disposable', 40), r('bot_form_too_fast', 20)], policy);
    const approved = { ...held, review: { approved: held.reasons.map((x) => x.code), at: '2026-01-01T00:00:00Z' } };
    expect(withStage(approved, 'payment', [], policy).decision).toBe('allow');
    expect(withStage(approved, 'payment', [r('velocity_card', 40)], policy).decision).toBe('deny');
  });
});

function policyInput() {
  return { scores: {}, thresholds: { challenge: 30, review: 60, deny: 90 }, velocity: {}, minFormSeconds: 3, allowlist: [], blocklist: [] };
}
