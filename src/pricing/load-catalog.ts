import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { catalogRuleProblems, type CatalogProblem } from './catalog-rules.js';
import { catalogFileSchema } from './schemas.js';
import type { Catalog } from './types.js';

export const DEFAULT_CATALOG_PATH = fileURLToPath(new URL('../../config/catalog.json', import.meta.url));

/** Thrown at boot: the service must not start on a catalogue it would misprice. */
export class CatalogError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid plan catalogue ${file} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CatalogError';
  }
}

/** Load and validate the versioned plan catalogue; throws a CatalogError listing every problem. */
export function loadCatalog(path: string = DEFAULT_CATALOG_PATH): Catalog {
  const raw = readConfigJson(path);
  const parsed = catalogFileSchema.safeParse(raw);
  const problems: CatalogProblem[] = parsed.success ? [] : parsed.error.issues.flatMap((i) => fromZodIssue(i, raw));
  problems.push(...catalogRuleProblems(raw));
  if (problems.length > 0 || !parsed.success) {
    const lines = problems.map((p) => describe(p, raw)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    throw new CatalogError(path, [...new Set(lines)]);
  }
  return deepFreeze(parsed.data);
}

/** A configuration file as JSON, or a CatalogError naming the file. */
export function readConfigJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CatalogError(path, [`cannot read the file as JSON: ${(err as Error).message}`]);
  }
}

function fromZodIssue(issue: z.core.$ZodIssue, raw: unknown): CatalogProblem[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  if (issue.code === 'invalid_key') return issue.issues.map((i) => ({ path, message: `key ${i.message}`, showValue: false }));
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => ({ path: [...path, k], message: 'is not a known field', showValue: false }));
  if (issue.code === 'invalid_type' && valueAt(raw, path) === undefined) return [{ path, message: 'is required' }];
  return [{ path, message: issue.message }];
}

function describe(p: CatalogProblem, raw: unknown): string {
  const value = valueAt(raw, p.path);
  const got = p.showValue === false || value === undefined || typeof value === 'object' ? '' : ` (got ${JSON.stringify(value)})`;
  return `${formatPath(p.path)}: ${p.message}${got}`;
}

/** `plans[1].prices.month.EUR`: the path an editor searches for. */
export function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$-]*$/.test(s) ? `${i === 0 ? '' : '.'}${s}` : `[${JSON.stringify(s)}]`))
    .join('');
}

function valueAt(raw: unknown, path: (string | number)[]): unknown {
  let v: any = raw;
  for (const s of path) v = v != null && typeof v === 'object' ? v[s] : undefined;
  return v;
}

/** Frozen all the way down: a loaded configuration cannot be edited at runtime. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
