import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerProblemHandlers } from '../http/problem.js';
import { loadCatalog } from './load-catalog.js';
import { loadTaxRules } from './tax-rules.js';
import { pricingRoutes } from './routes.js';

describe('GET /v1/plans', () => {
  const app = Fastify();
  beforeAll(async () => {
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerProblemHandlers(app);
    await app.register(swagger, { openapi: { openapi: '3.1.0', info: { title: 'test', version: '1' } }, transform: jsonSchemaTransform });
    await app.register(pricingRoutes({ catalog: loadCatalog(), tax: loadTaxRules() }));
    await app.ready();
  });
  afterAll(() => app.close());

  it('answers plans in one currency with de-DE display strings', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/plans?currency=EUR&locale=de-DE' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('max-age');
    const body = res.json();
    expect(body).toMatchObject({ catalog_version: '2026-11-25.2', currency: 'EUR', locale: 'de-DE' });
    expect(body.plans.map((p: any) => p.id)).toEqual(['starter', 'pro', 'business']);
    const pro = body.plans[1];
    expect(pro.features).toMatchObject({ api_access: true, sso: false });
    expect(body.plans[2].features.seats).toBe('unlimited');
    expect(pro.prices).toEqual([
      { interval: 'month', currency: 'EUR', amount: 1900, display: '19,00\u00a0€' },
      { interval: 'year', currency: 'EUR', amount: 19000, display: '190,00\u00a0€', savings_percent: 16 },
    ]);
    expect(body.features).toContainEqual({ key: 'priority_support', label: 'Priorisierter Support' });
  });

  it('uses Accept-Language when no locale is given', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/plans?currency=JPY', headers: { 'accept-language': 'ja-JP,ja;q=0.9,en;q=0.5' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().locale).toBe('ja-JP');
    expect(res.json().plans[0].prices[0]).toMatchObject({ amount: 1200, display: '￥1,200' });
  });

  it('refuses an unpriced currency with pricing_currency_unsupported', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/plans?currency=CHF' });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'pricing_currency_unsupported', status: 422, fields: { currency: ['unsupported'] } });
  });

  it('refuses a malformed currency or locale at the edge', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/plans?currency=EURO&locale=%21%21' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'request_validation_failed', fields: { currency: ['invalid_format'], locale: ['invalid_locale'] } });
  });

  it('appears in the OpenAPI document under the plans tag', () => {
    const doc = app.swagger() as any;
    const op = doc.paths['/v1/plans'].get;
    expect(op.tags).toEqual(['plans']);
    expect(op.summary).toBeTruthy();
    expect(op.parameters.map((p: any) => p.name).sort()).toEqual(['country', 'currency', 'locale', 'projects', 'team_size', 'visitor_id']);
    expect(op.responses['200']).toBeDefined();
  });
});
