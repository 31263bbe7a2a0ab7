// npm run pricing:what-if -- --rules <file> [--since <iso>] [--until <iso>] [--at <iso>] [--json]
// Replays the recorded quotes (DATABASE_URL, or the PGlite data in DATA_DIR with the service stopped:
// PGlite is single-process) against a candidate rule set and prints the deltas. Reads only.
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/index.js';
import { createPgliteDb, createPostgresDb } from '../src/db/index.js';
import { formatMoney } from '../src/kernel/money.js';
import { CatalogError, loadCatalog, loadPricingRules, loadTaxRules, type PricingRules } from '../src/pricing/index.js';
import { replayQuotes } from '../src/pricing/dynamic/replay-quotes.js';

const { values } = parseArgs({
  options: { rules: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, at: { type: 'string' }, json: { type: 'boolean', default: false } },
});
if (!values.rules) {
  console.error('usage: npm run pricing:what-if -- --rules <file> [--since <iso>] [--until <iso>] [--at <iso>] [--json]');
  process.exit(2);
}
const date = (name: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new Error(`--${name}: not a date: ${v}`);
  return d;
};

// The candidate rules are checked exactly as the service would check them at boot.
let rules: PricingRules;
try {
  rules = loadPricingRules(loadCatalog(), values.rules);
} catch (err) {
  if (!(err instanceof CatalogError)) throw err;
  console.error(err.message);
  process.exit(1);
}
const config = loadConfig();
const db = config.databaseUrl ? createPostgresDb(config.databaseUrl) : await createPgliteDb(config.dataDir);
try {
  const report = await replayQuotes(db, { rules, taxRules: loadTaxRules(), since: date('since', values.since), until: date('until', values.until), at: date('at', values.at) });
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`rules ${report.rules_version}: ${report.quotes} quotes replayed, ${report.skipped.length} skipped`);
    for (const c of report.currencies) {
      const m = (n: number) => formatMoney(n, c.currency, 'en');
      const pct = c.net_before > 0 ? (((c.net_after - c.net_before) / c.net_before) * 100).toFixed(1) : '0.0';
      console.log(
        `${c.currency}: ${c.quotes} quotes, ${c.changed} re-priced (${c.cheaper} cheaper, ${c.dearer} dearer); net ${m(c.net_before)} → ${m(c.net_after)} (${pct} %); ` +
          `completed ${c.completed} (${(c.completed_share * 100).toFixed(1)} %), their net ${m(c.completed_net_before)} → ${m(c.completed_net_after)}`,
      );
    }
  }
} finally {
  await db.close();
}
