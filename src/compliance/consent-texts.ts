import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { resolveLocale, SUPPORTED_LOCALES } from '../i18n/index.js';
import { sha256 } from '../kernel/crypto.js';

export const LAWFUL_BASES = ['consent', 'contract', 'legal_obligation', 'legitimate_interest'] as const;
export type LawfulBasis = (typeof LAWFUL_BASES)[number];

const purposeSchema = z.object({
  lawful_basis: z.enum(LAWFUL_BASES),
  required: z.boolean(),
  current: z.string().min(1).max(40),
  // Every version has every supported locale: the hash must be of a text someone could actually have been shown.
  versions: z.record(z.string().min(1).max(40), z.object(Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, z.string().min(1)])) as Record<string, z.ZodString>).strict()),
}).refine((p) => p.current in p.versions, 'current names no version');

const fileSchema = z.object({ $comment: z.string().optional(), purposes: z.record(z.string().regex(/^[a-z_]+$/), purposeSchema) });

export type ConsentPurposeConfig = z.infer<typeof purposeSchema>;

const PATH = fileURLToPath(new URL('../../config/consent-texts.json', import.meta.url));

/** config/consent-texts.json, validated once at import: a broken file stops the boot like a broken catalogue. */
export const CONSENT_TEXTS: Readonly<Record<string, ConsentPurposeConfig>> = Object.freeze(fileSchema.parse(JSON.parse(readFileSync(PATH, 'utf8'))).purposes);

export interface ShownText {
  purpose: string;
  policy_version: string;
  locale: string;
  text: string;
  text_sha256: string;
  lawful_basis: LawfulBasis;
}

/** The exact text of a purpose's version in a locale (best match, English last), with its SHA-256; null if unknown. */
export function consentText(purpose: string, version: string, locale: string): ShownText | null {
  const p = CONSENT_TEXTS[purpose];
  const texts = p?.versions[version];
  if (!p || !texts) return null;
  const lang = resolveLocale(locale);
  const text = texts[lang]!;
  return { purpose, policy_version: version, locale: lang, text, text_sha256: sha256(text), lawful_basis: p.lawful_basis };
}

/** The text a purpose is currently shown with. */
export function currentConsentText(purpose: string, locale: string): ShownText | null {
  const p = CONSENT_TEXTS[purpose];
  return p ? consentText(purpose, p.current, locale) : null;
}
