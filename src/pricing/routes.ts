import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/index.js';
import type { Clock } from '../kernel/clock.js';
import { recordExposures } from './dynamic/record-exposures.js';
import type { PricingRules } from './dynamic/rules-schema.js';
import { listPlans } from './list-plans.js';
import { preferredLocale } from './locale.js';
import { listPlansQuery, plansResponse } from './schemas.js';
import type { TaxRules } from './tax-rules.js';
import type { Catalog } from './types.js';

/** GET /v1/plans: the public, cacheable plan list; priced by the dynamic pricing engine when rules are given. */
export function pricingRoutes(opts: { catalog: Catalog; tax: TaxRules; pricing?: { rules: PricingRules; db: Db; clock: Clock } }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/v1/plans',
      {
        schema: {
          tags: ['plans'],
          summary: 'List plans with localized text and prices',
          description:
            'Prices are integer minor units plus an Intl-formatted display string. Without `locale`, Accept-Language decides; text falls back de-DE → de → en. With `country`, the currency follows the country (unless `currency` is given) and `tax` says how its prices are shown. ' +
            'Dynamic pricing: `amount` is the price after regional, campaign and signal adjustments (within guardrails), `list_amount` the catalogue price, `adjustments` the reasons. `team_size`/`projects` reorder the plans and pick one to recommend; `visitor_id` assigns pricing experiments. Selecting a plan with the same inputs charges the same amount.',
          querystring: listPlansQuery,
          response: { 200: plansResponse },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const locale = q.locale ?? preferredLocale(req.headers['accept-language']);
        const p = opts.pricing;
        const now = p?.clock.now() ?? new Date();
        const signals = { team_size: q.team_size, projects: q.projects };
        const { assignments, ...body } = listPlans(opts.catalog, {
          currency: q.currency, locale, country: q.country, tax: opts.tax, now,
          pricing: p ? { rules: p.rules, signals, visitorId: q.visitor_id } : undefined,
        });
        if (p && q.visitor_id && assignments.length > 0) {
          await recordExposures(p.db, { assignments, visitorId: q.visitor_id, surface: 'plans', rulesVersion: p.rules.version, now });
        }
        // A visitor's prices depend on its experiment variant: no shared cache may serve them to another visitor.
        reply.header('cache-control', q.visitor_id ? 'private, max-age=300' : 'public, max-age=300').header('vary', 'Accept-Language');
        return body;
      },
    );
  };
}
