/**
 * The record of processing (GDPR art. 30), as code: every column that holds a personal attribute
 * (contact, name, identity or authentication data, network or device signals), in clear, sealed or as a
 * keyed hash. docs/privacy.md documents each (purpose, lawful basis, retention, processors); a test checks
 * the schema, this list and the document against one another, both ways. A column is personal for its
 * content, not for being a foreign key to a customer: references are not listed.
 */
export const PII_COLUMNS = [
  'customers.pii_sealed',
  'customers.email_hash',
  'customers.country',
  'enrollments.profile_sealed',
  'enrollments.email_hash',
  'enrollments.country',
  'enrollments.risk',
  'enrollments.consents',
  'consent_records.client_sealed',
  'quotes.tax_country',
  'risk_signals.value_hash',
  'verification_codes.destination_hash',
  'notifications_sent.to_hash',
  'audit_events.data',
  'password_credentials.hash',
  'totp_factors.secret_sealed',
  'passkey_credentials.public_key',
  'gateway_tokens.pan_ciphertext',
] as const;

/** Columns whose names look personal but are not, and why: the schema test needs every such column placed. */
export const NOT_PII: Record<string, string> = {
  'tenants.name': 'always the constant "Workspace", never derived from a person',
  'roles.name': 'a role name (owner, admin, …)',
  'schema_migrations.name': 'a migration file name',
  'passkey_credentials.user_handle': 'random WebAuthn user id, generated per credential, no personal content',
  'outbox_jobs.payload': 'references (ids) only; enqueue refuses secret-looking keys, and no personal field is ever put there',
  'gateway_events.payload': 'Stripe objects: ids, amounts, statuses (no billing details are collected)',
  'gateway_tokens.country': 'issuing country of a card product',
  'gateway_payment_methods.country': 'issuing country of a card product',
  'erasure_requests.result': 'counts of what an erasure removed',
  'enrollments.result': 'ids of what a completion created',
  'consent_records.client_subject': 'the id of the vault key that seals client_sealed (an enrollment id), no personal content',
  'enrollment_transitions.to_state': 'a state name',
  'dispute_responses.agent': 'the name of the dispute agent that decided (rules, or a plugged-in model)',
};

/** Name parts that make a column a candidate: each candidate must be in PII_COLUMNS or NOT_PII. */
export const PERSONAL_NAME_PARTS = ['email', 'name', 'phone', 'address', 'ip', 'agent', 'pii', 'profile', 'destination', 'to', 'display', 'user', 'country', 'value', 'payload', 'data', 'sealed', 'pan', 'risk', 'result'];
