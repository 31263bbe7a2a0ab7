import { z } from 'zod';
import { consentStateSchema, ledgerEventSchema } from './schemas.js';

export const EXPORT_FORMAT = 'enroll.subject-export';
export const EXPORT_SCHEMA_VERSION = 1;

const row = z.record(z.string(), z.unknown());

/** The access and portability document (GDPR art. 15 and 20); `schema_version` changes when its shape does. */
export const subjectExportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  schema_version: z.literal(EXPORT_SCHEMA_VERSION),
  generated_at: z.string(),
  subject: z.object({ type: z.literal('customer'), id: z.string() }),
  profile: z.object({ id: z.string(), email: z.string(), given_name: z.string(), family_name: z.string(), locale: z.string(), country: z.string() }).nullable(),
  consents: z.object({ state: z.array(consentStateSchema), ledger: z.array(ledgerEventSchema) }),
  enrollments: z.array(z.object({
    id: z.string(), channel: z.string(), state: z.string(), locale: z.string(), country: z.string().nullable(), currency: z.string().nullable(),
    profile: row.nullable(), consents: z.array(row), created_at: z.string(), completed_at: z.string().nullable(),
  })),
  tenants: z.array(z.string()),
  subscriptions: z.array(row),
  invoices: z.array(row),
  audit_events: z.array(row),
  messages: z.array(row),
});

export type SubjectExport = z.infer<typeof subjectExportSchema>;
