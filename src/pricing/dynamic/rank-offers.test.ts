import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../load-catalog.js';
import { rankOffers } from './rank-offers.js';

const catalog = loadCatalog(); // seats: starter 3, pro 15, business unlimited; projects: 5, 50, unlimited
const rules = { recommend_by: { team_size: 'seats', projects: 'projects' } };

describe('rankOffers', () => {
  it('without signals keeps the catalogue order and its recommended plan', () => {
    expect(rankOffers(catalog, rules)).toEqual({
      order: ['starter', 'pro', 'business'],
      recommended: 'pro',
      reasons: { starter: [], pro: ['catalog_recommended'], business: [] },
    });
  });

  it('recommends the smallest plan with enough seats for the declared team, and moves the ones too small to the end', () => {
    expect(rankOffers(catalog, rules, { team_size: 3 })).toMatchObject({ recommended: 'starter', order: ['starter', 'pro', 'business'] });
    expect(rankOffers(catalog, rules, { team_size: 10 })).toEqual({
      order: ['pro', 'business', 'starter'],
      recommended: 'pro',
      reasons: { starter: ['team_size_above_limit'], pro: ['recommended_for_team_size'], business: [] },
    });
    expect(rankOffers(catalog, rules, { team_size: 500 })).toMatchObject({ recommended: 'business', order: ['business', 'starter', 'pro'] });
  });

  it('weighs every declared signal: a small team with many projects needs pro', () => {
    expect(rankOffers(catalog, rules, { team_size: 2, projects: 20 })).toMatchObject({
      recommended: 'pro',
      reasons: { starter: ['projects_above_limit'], pro: ['recommended_for_team_size', 'recommended_for_projects'] },
    });
  });

  it('ignores a signal the rules do not map to a feature', () => {
    expect(rankOffers(catalog, { recommend_by: {} }, { team_size: 40 })).toMatchObject({ recommended: 'pro', order: ['starter', 'pro', 'business'] });
  });
});
