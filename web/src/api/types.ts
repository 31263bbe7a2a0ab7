/** Wire shapes the SPA reads; test/web.api-contract.test.ts checks them against the live /openapi.json. */
export type Step = 'profile' | 'verification' | 'plan' | 'payment' | 'complete';

export interface Price { interval: 'month' | 'year'; currency: string; amount: number; display: string; savings_percent?: number }
export interface Plan {
  id: string; name: string; tagline: string; recommended: boolean; reasons: string[]; trial_days: number; trial_card_required: boolean;
  features: Record<string, number | boolean | 'unlimited'>; prices: Price[];
}
export interface PlansResponse { currency: string; locale: string; plans: Plan[]; features: { key: string; label: string }[] }

export interface Quote {
  id: string; plan_id: string; interval: 'month' | 'year'; currency: string; amount: number; net: number;
  tax: { amount: number; rate_bp: number; mode: string; country: string | null; label: string }; trial_days: number; expires_at: string;
  lines: { plan_id: string; description: string; amount: number; type?: string }[];
}

export interface Enrollment {
  id: string; status: string; locale: string; country: string | null; currency: string | null;
  steps: Record<Step, 'complete' | 'pending'>; next: Step[]; expires_at: string;
  consents_required: { purpose: string; policy_version: string; required: boolean }[];
  profile: { given_name: string; family_name: string; email: string; phone: string | null; country: string } | null;
  quote: Quote | null;
  payment_method: { id: string; brand: string; last4: string; exp_month: number; exp_year: number } | null;
  last_decline: { decline_code: string } | null;
  risk: { second_factor_required: boolean; factors: ('passkey' | 'totp' | 'sms')[] };
  result: { customer_id: string; tenant_id: string } | null;
}

/** A pending authenticator-app factor: the secret travels once, inside the URI and the server-rendered QR code. */
export interface TotpSetup { factor_id: string; otpauth_uri: string; qr_svg: string }

export interface PublicConfig { gateway_origin: string; webauthn_rp_id?: string; locales: string[]; currencies: string[] }

export interface Me {
  customer: { id: string; given_name: string; family_name: string; email: string; locale: string; country: string };
  tenant: { id: string; name: string; members: { customer_id: string; roles: string[] }[] } | null;
  subscriptions: {
    id: string; plan_id: string; plan_name: string; status: string; interval: string; currency: string; amount: number;
    current_period_end: string; trial_end: string | null; payment_method: { brand: string; last4: string; exp_month: number; exp_year: number } | null;
  }[];
  passkeys: { id: string; created_at: string; last_used_at: string | null; backed_up: boolean }[];
}

export interface Consent { purpose: string; granted: boolean; policy_version: string; required?: boolean; lawful_basis?: string; since?: string }

/** RFC 9457 problem as the server sends it. */
export interface Problem {
  status: number; code: string; title: string; detail?: string; fields?: Record<string, string[]>;
  advice?: string; next_action?: { type: 'three_d_secure'; challenge_id: string; url: string }; factors?: string[];
  [k: string]: unknown;
}
