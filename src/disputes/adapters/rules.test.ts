import { describe, expect, it } from 'vitest';
import type { DisputeFacts, EvidencePack } from '../dispute-agent.js';
import { createRulesDisputeAgent } from './rules.js';

const agent = createRulesDisputeAgent({ escalateAt: { EUR: 50_000, JPY: 75_000 }, acceptBelow: { EUR: 1_000, JPY: 1_500 } });
const dispute = (o: Partial<DisputeFacts> = {}): DisputeFacts => ({ id: 'dp_1', chargeId: 'ch_1', amount: 4_900, currency: 'EUR', reason: 'fraudulent', ...o });
const PAID = '2027-02-24T10:00:00.000Z';
const strong = (o: Partial<EvidencePack> = {}): EvidencePack => ({
  charge_id: 'ch_1',
  subscription: { id: 'sub_1', status: 'active', plan_id: 'business', created_at: '2027-01-10T10:00:00.000Z', period_start: PAID, period_end: '2027-03-24T10:00:00.000Z' },
  payment: { amount: 4_900, currency: 'EUR', paid_at: PAID },
  customer: { email: 'a@example.com', name: 'Ada L' },
  consents: [{ purpose: 'terms', granted: true, policy_version: '2026-11-01', recorded_at: '2027-01-10T10:00:00.000Z' }],
  ip: { country: 'DE', recorded: true },
  audit_trail: [{ action: 'subscription.renewed', occurred_at: PAID }],
  emails: [{ template: 'welcome', sent_at: '2027-01-10T10:00:01.000Z' }],
  usage: { sessions: 3, first_at: '2027-01-10T10:00:00.000Z', last_at: '2027-02-20T10:00:00.000Z' },
  ...o,
});
const weak = (o: Partial<EvidencePack> = {}) => strong({ ip: { country: null, recorded: false }, usage: { sessions: 0, first_at: null, last_at: null }, ...o });

describe('the rules dispute agent', () => {
  it('submits evidence when terms were accepted and the customer was there (IP) or used the service, with the reasons', async () => {
    expect(await agent.decide({ dispute: dispute(), evidence: strong() })).toEqual({
      action: 'submit_evidence', reasons: ['terms_accepted', 'customer_ip_recorded', 'service_used', 'emails_delivered'],
    });
    expect((await agent.decide({ dispute: dispute(), evidence: strong({ ip: { country: null, recorded: false } }) })).action).toBe('submit_evidence');
  });

  it('escalates a charge it cannot tie to a subscription, and any amount at or above the threshold', async () => {
    expect(await agent.decide({ dispute: dispute(), evidence: strong({ subscription: null, payment: null }) })).toEqual({ action: 'escalate', reasons: ['charge_not_matched'] });
    expect(await agent.decide({ dispute: dispute({ amount: 50_000 }), evidence: strong() })).toEqual({ action: 'escalate', reasons: ['amount_at_or_above_escalation_threshold'] });
    expect((await agent.decide({ dispute: dispute({ amount: 49_999 }), evidence: strong() })).action).toBe('submit_evidence');
  });

  it('accepts a "subscription canceled" dispute when the subscription had ended before the charge', async () => {
    const trail = [{ action: 'dunning.exhausted', occurred_at: '2027-02-01T00:00:00.000Z' }];
    expect(await agent.decide({ dispute: dispute({ reason: 'subscription_canceled' }), evidence: strong({ audit_trail: trail }) })).toEqual({ action: 'accept', reasons: ['canceled_before_charge'] });
    // Ended after the charge: the charge stands, the evidence goes in.
    const later = [{ action: 'dunning.exhausted', occurred_at: '2027-03-01T00:00:00.000Z' }];
    expect((await agent.decide({ dispute: dispute({ reason: 'subscription_canceled' }), evidence: strong({ audit_trail: later }) })).action).toBe('submit_evidence');
  });

  it('with weak evidence: accepts below the accept threshold, escalates above it, saying what is missing', async () => {
    expect(await agent.decide({ dispute: dispute({ amount: 999 }), evidence: weak() })).toEqual({ action: 'accept', reasons: ['evidence_weak', 'no_usage_or_ip', 'amount_below_accept_threshold'] });
    expect(await agent.decide({ dispute: dispute({ amount: 1_000 }), evidence: weak() })).toEqual({ action: 'escalate', reasons: ['evidence_weak', 'no_usage_or_ip'] });
    expect(await agent.decide({ dispute: dispute(), evidence: strong({ consents: [] }) })).toEqual({ action: 'escalate', reasons: ['evidence_weak', 'no_terms_consent'] });
  });

  it('judges an amount in its own currency\'s minor units: ¥50,000 is not 50,000 cents, ¥999 is not "small"', async () => {
    const yen = (amount: number) => dispute({ amount, currency: 'JPY' });
    expect((await agent.decide({ dispute: yen(50_000), evidence: strong() })).action).toBe('submit_evidence');
    expect(await agent.decide({ dispute: yen(75_000), evidence: strong() })).toEqual({ action: 'escalate', reasons: ['amount_at_or_above_escalation_threshold'] });
    expect(await agent.decide({ dispute: yen(999), evidence: weak() })).toEqual({ action: 'accept', reasons: ['evidence_weak', 'no_usage_or_ip', 'amount_below_accept_threshold'] });
    expect(await agent.decide({ dispute: yen(1_500), evidence: weak() })).toEqual({ action: 'escalate', reasons: ['evidence_weak', 'no_usage_or_ip'] });
    // The gateway's lower-case code is the same currency.
    expect((await agent.decide({ dispute: dispute({ amount: 75_000, currency: 'jpy' }), evidence: strong() })).action).toBe('escalate');
  });

  it('escalates a dispute in a currency without thresholds, before any rule could concede it', async () => {
    const usd = (o: Partial<DisputeFacts>) => dispute({ currency: 'USD', ...o });
    expect(await agent.decide({ dispute: usd({ amount: 1 }), evidence: weak() })).toEqual({ action: 'escalate', reasons: ['no_threshold_for_currency'] });
    const ended = [{ action: 'dunning.exhausted', occurred_at: '2027-02-01T00:00:00.000Z' }];
    expect(await agent.decide({ dispute: usd({ reason: 'subscription_canceled' }), evidence: strong({ audit_trail: ended }) })).toEqual({ action: 'escalate', reasons: ['no_threshold_for_currency'] });
    // Half a setting (one map only) is no threshold either; an unmatched charge keeps its own reason.
    const half = createRulesDisputeAgent({ escalateAt: { USD: 50_000 }, acceptBelow: {} });
    expect(await half.decide({ dispute: usd({ amount: 1 }), evidence: weak() })).toEqual({ action: 'escalate', reasons: ['no_threshold_for_currency'] });
    expect(await agent.decide({ dispute: usd({}), evidence: strong({ subscription: null, payment: null }) })).toEqual({ action: 'escalate', reasons: ['charge_not_matched'] });
  });
});
