import { readFileSync } from 'node:fs';
import { SUPPORTED_LOCALES, type SupportedLocale } from '../i18n/index.js';

/**
 * The hosted pages' own words (hosted-labels.json). The gateway is another
 * party (another origin, in production another company): it ships its own
 * strings, like Stripe's Elements, instead of reading the app's catalogues.
 */
export interface HostedLabels {
  title: string;
  number: string;
  expiry: string;
  cvc: string;
  number_invalid: string;
  exp_invalid: string;
  cvc_invalid: string;
  submit: string;
  challenge_title: string;
  challenge_text: string;
  approve: string;
  fail: string;
  answered: string;
  expired: string;
}

function load(): Record<SupportedLocale, HostedLabels> {
  const all = JSON.parse(readFileSync(new URL('./hosted-labels.json', import.meta.url), 'utf8')) as Record<string, Partial<HostedLabels>>;
  const keys = Object.keys(all.en!) as (keyof HostedLabels)[];
  // A missing word would render "undefined" inside a payment form: refuse to start instead.
  for (const locale of SUPPORTED_LOCALES) {
    const missing = keys.filter((k) => typeof all[locale]?.[k] !== 'string');
    if (missing.length) throw new Error(`hosted-labels.json: ${locale} lacks ${missing.join(', ')}`);
  }
  return all as Record<SupportedLocale, HostedLabels>;
}

export const HOSTED_LABELS = load();
