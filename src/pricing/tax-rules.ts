import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CatalogError, readConfigJson } from './load-catalog.js';

export const DEFAULT_TAX_PATH = fileURLToPath(new URL('../../config/tax.json', import.meta.url));

const display = z.enum(['inclusive', 'exclusive']);
const label = z.enum(['vat', 'gst', 'sales_tax', 'consumption_tax', 'tax']);
/** Basis points, integers: 1900 = 19 %. No floats anywhere near money. */
const rateBp = z.number().int().min(0).max(10_000);
const rule = z.object({ rate_bp: rateBp, display, label, eu: z.boolean().default(false), currency: z.string().regex(/^[A-Z]{3}$/).optional() }).strict();

const taxFileSchema = z
  .object({
    version: z.string().min(1),
    seller_country: z.string().regex(/^[A-Z]{2}$/),
    default: rule.omit({ eu: true, currency: true }),
    countries: z.record(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'), rule),
  })
  .strict();

export type TaxRules = Readonly<z.output<typeof taxFileSchema>>;
export type TaxRule = z.output<typeof rule>;

/** Per-country VAT/GST rates and display conventions (config/tax.json); refuses a broken file at boot. */
export function loadTaxRules(path: string = DEFAULT_TAX_PATH): TaxRules {
  const parsed = taxFileSchema.safeParse(readConfigJson(path));
  if (!parsed.success) throw new CatalogError(path, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return Object.freeze(parsed.data);
}

/** The country's currency from config/tax.json when the catalogue offers it; otherwise undefined. */
export function currencyForCountry(rules: TaxRules, offered: readonly string[], country: string | null | undefined): string | undefined {
  const c = country ? rules.countries[country.toUpperCase()]?.currency : undefined;
  return c && offered.includes(c) ? c : undefined;
}

/** The rule for a country, or the default (no tax, prices shown as they are). */
export function taxRuleFor(rules: TaxRules, country: string | undefined): TaxRule & { country: string | null } {
  const r = country ? rules.countries[country] : undefined;
  return r ? { ...r, country: country! } : { ...rules.default, eu: false, country: country ?? null };
}
