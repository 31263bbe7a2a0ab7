import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listPlans } from './list-plans.js';
import { preferredLocale } from './locale.js';
import { listPlansQuery, plansResponse } from './schemas.js';
import type { TaxRules } from './tax-rules.js';
import type { Catalog } from './types.js';

/** GET /v1/plans: the public, cacheable plan list. */
export function pricingRoutes(opts: { catalog: Catalog; tax: TaxRules }): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/v1/plans',
      {
        schema: {
          tags: ['plans'],
          summary: 'List plans with localized text and prices',
          description: 'Prices are integer minor units plus an Intl-formatted display string. Without `locale`, Accept-Language decides; text falls back de-DE → de → en. With `country`, the currency follows the country (unless `currency` is given) and `tax` says how its prices are shown.',
          querystring: listPlansQuery,
          response: { 200: plansResponse },
        },
      },
      async (req, reply) => {
        const locale = req.query.locale ?? preferredLocale(req.headers['accept-language']);
        reply.header('cache-control', 'public, max-age=300').header('vary', 'Accept-Language');
        return listPlans(opts.catalog, { currency: req.query.currency, locale, country: req.query.country, tax: opts.tax });
      },
    );
  };
}
