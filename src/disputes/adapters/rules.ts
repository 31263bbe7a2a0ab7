import type { DisputeAgent, DisputeDecision, EvidencePack } from '../dispute-agent.js';

/** Thresholds per ISO 4217 currency, each in that currency's minor units (a yen is not a cent). */
export interface DisputeRules {
  /** At or above: a person decides, whatever the evidence. */
  escalateAt: Readonly<Record<string, number>>;
  /** Below: weak evidence is not worth a fight; the dispute is accepted. */
  acceptBelow: Readonly<Record<string, number>>;
}

/** Both thresholds of a currency, or null: without them no amount can be judged small, so nothing may be conceded. */
function thresholdsFor(rules: DisputeRules, currency: string): { escalateAt: number; acceptBelow: number } | null {
  const c = currency.toUpperCase();
  if (!Object.hasOwn(rules.escalateAt, c) || !Object.hasOwn(rules.acceptBelow, c)) return null;
  return { escalateAt: rules.escalateAt[c]!, acceptBelow: rules.acceptBelow[c]! };
}

/** Audit actions that end a subscription. */
const ENDINGS = ['subscription.canceled', 'dunning.exhausted'];

/** Why the evidence is strong: the customer agreed, was there, and was told or used the service. */
function strengths(e: EvidencePack): string[] {
  const out: string[] = [];
  if (e.consents.some((c) => c.purpose === 'terms' && c.granted)) out.push('terms_accepted');
  if (e.ip.recorded) out.push('customer_ip_recorded');
  if (e.usage.sessions > 0) out.push('service_used');
  if (e.emails.length > 0) out.push('emails_delivered');
  return out;
}

/**
 * The default, offline responder. In order: a charge we cannot tie to a
 * subscription, and a large amount, go to a person; a customer who cancelled
 * before being charged is right (accept); agreed terms plus either use of the
 * service or a recorded IP is evidence worth submitting; otherwise a small
 * amount is accepted and a larger one escalated. Thresholds are config, per
 * currency; a currency without them goes to a person before any other rule
 * can concede the money.
 */
export function createRulesDisputeAgent(rules: DisputeRules): DisputeAgent {
  return {
    name: 'rules',
    async decide({ dispute, evidence }): Promise<DisputeDecision> {
      if (!evidence.subscription || !evidence.payment) return { action: 'escalate', reasons: ['charge_not_matched'] };
      const limits = thresholdsFor(rules, dispute.currency);
      if (!limits) return { action: 'escalate', reasons: ['no_threshold_for_currency'] };
      if (dispute.amount >= limits.escalateAt) return { action: 'escalate', reasons: ['amount_at_or_above_escalation_threshold'] };
      const paidAt = evidence.payment.paid_at;
      const canceledBefore = evidence.audit_trail.some((a) => ENDINGS.includes(a.action) && a.occurred_at < paidAt);
      if (dispute.reason === 'subscription_canceled' && canceledBefore) return { action: 'accept', reasons: ['canceled_before_charge'] };
      const strong = strengths(evidence);
      const agreed = strong.includes('terms_accepted');
      const present = strong.includes('service_used') || strong.includes('customer_ip_recorded');
      if (agreed && present) return { action: 'submit_evidence', reasons: strong };
      const weak = ['evidence_weak', ...(agreed ? [] : ['no_terms_consent']), ...(present ? [] : ['no_usage_or_ip'])];
      if (dispute.amount < limits.acceptBelow) return { action: 'accept', reasons: [...weak, 'amount_below_accept_threshold'] };
      return { action: 'escalate', reasons: weak };
    },
  };
}
