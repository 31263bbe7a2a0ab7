import { z } from 'zod';
import { CONSENT_TEXTS, LAWFUL_BASES, type ConsentEvent, type ConsentStateEntry } from '../compliance/index.js';

export const customerParams = z.object({ id: z.string().max(64) });

const purposes = Object.keys(CONSENT_TEXTS) as [string, ...string[]];

export const giveConsentBody = z.object({
  purpose: z.enum(purposes),
  policy_version: z.string().min(1).max(40),
  /** The language the text was shown in (default: the customer's). */
  locale: z.string().min(2).max(35).optional(),
}).strict();

export const ledgerEventSchema = z.object({
  id: z.string(),
  purpose: z.string(),
  action: z.enum(['given', 'withdrawn']),
  granted: z.boolean(),
  lawful_basis: z.enum(LAWFUL_BASES),
  policy_version: z.string(),
  text_sha256: z.string().nullable(),
  locale: z.string().nullable(),
  channel: z.string(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  request_id: z.string().nullable(),
  recorded_at: z.string(),
});

export const consentStateSchema = z.object({
  purpose: z.string(),
  granted: z.boolean(),
  policy_version: z.string(),
  lawful_basis: z.string(),
  channel: z.string(),
  since: z.string(),
  event_id: z.string(),
});

export const consentsSchema = z.object({ customer_id: z.string(), state: z.array(consentStateSchema), ledger: z.array(ledgerEventSchema) });

export const consentChangeSchema = z.object({ recorded: z.boolean(), event: ledgerEventSchema, state: z.array(consentStateSchema) });

export const consentPoliciesSchema = z.object({
  locale: z.string(),
  policies: z.array(z.object({ purpose: z.string(), policy_version: z.string(), required: z.boolean(), lawful_basis: z.string(), text: z.string(), text_sha256: z.string() })),
});

export function ledgerEventJson(e: ConsentEvent): z.infer<typeof ledgerEventSchema> {
  return {
    id: e.id, purpose: e.purpose, action: e.granted ? 'given' : 'withdrawn', granted: e.granted, lawful_basis: e.lawful_basis, policy_version: e.policy_version,
    text_sha256: e.text_sha256, locale: e.locale, channel: e.channel, ip: e.ip, user_agent: e.user_agent, request_id: e.request_id, recorded_at: new Date(e.recorded_at).toISOString(),
  };
}

export function consentStateJson(s: ConsentStateEntry): z.infer<typeof consentStateSchema> {
  return { ...s, since: new Date(s.since).toISOString() };
}
