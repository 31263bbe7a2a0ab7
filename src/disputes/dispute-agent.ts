/** What the responder knows of a dispute: the gateway's view of it. */
export interface DisputeFacts {
  id: string;
  chargeId: string;
  amount: number;
  currency: string;
  /** The network's reason: fraudulent, subscription_canceled, product_not_received, duplicate, general, … */
  reason: string | null;
}

/** The evidence pack: reference data from the modules that own it, never card data. */
export interface EvidencePack {
  charge_id: string;
  /** Null when no payment of ours carries this charge. */
  subscription: { id: string; status: string; plan_id: string; created_at: string; period_start: string | null; period_end: string | null } | null;
  payment: { amount: number; currency: string; paid_at: string } | null;
  customer: { email: string; name: string } | null;
  consents: { purpose: string; granted: boolean; policy_version: string; recorded_at: string }[];
  /** The enrollment's IP country from the risk check (the raw IP is not kept), and whether an IP signal was recorded. */
  ip: { country: string | null; recorded: boolean };
  audit_trail: { action: string; occurred_at: string }[];
  emails: { template: string; sent_at: string }[];
  usage: { sessions: number; first_at: string | null; last_at: string | null };
}

export type DisputeAction = 'submit_evidence' | 'accept' | 'escalate';

export interface DisputeDecision {
  action: DisputeAction;
  /** Stable snake_case codes, recorded with the decision and audited. */
  reasons: string[];
}

/**
 * The port that decides a dispute from its evidence. The rules adapter is the
 * default and runs offline; a model-based agent can be plugged in behind the
 * same port (deps.disputeAgent) without touching assembly or submission.
 */
export interface DisputeAgent {
  readonly name: string;
  decide(input: { dispute: DisputeFacts; evidence: EvidencePack }): Promise<DisputeDecision>;
}
