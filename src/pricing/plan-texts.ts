import { translate } from '../i18n/index.js';
import type { Catalog, Plan } from './types.js';

type Feature = Catalog['features'][number];

// The catalogue holds each text's English source; the ICU catalogues hold its translations under these keys.

/** `plan.<id>.name` in the locale; the catalogue's English name when untranslated. */
export const planName = (plan: Pick<Plan, 'id' | 'name'>, locale: string) => translate(`plan.${plan.id}.name`, locale, {}, plan.name.en);

/** `plan.<id>.tagline` in the locale. */
export const planTagline = (plan: Pick<Plan, 'id' | 'tagline'>, locale: string) => translate(`plan.${plan.id}.tagline`, locale, {}, plan.tagline.en);

/** `feature.<key>.label` in the locale. */
export const featureLabel = (feature: Feature, locale: string) => translate(`feature.${feature.key}.label`, locale, {}, feature.label.en);

/** Every key the catalogue's texts are translated under, with its English source (for the catalogue key check). */
export function catalogueMessages(catalog: Catalog): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of catalog.plans) {
    out[`plan.${p.id}.name`] = p.name.en;
    out[`plan.${p.id}.tagline`] = p.tagline.en;
  }
  for (const f of catalog.features) out[`feature.${f.key}.label`] = f.label.en;
  return out;
}
