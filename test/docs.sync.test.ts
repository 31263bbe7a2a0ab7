import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorTable, stateDiagram } from '../src/docs-sync.js';
import { errorCatalogue } from '../src/kernel/errors.js';

const block = (path: string) => /<!-- generated:start -->\n([\s\S]*)\n<!-- generated:end -->/.exec(readFileSync(path, 'utf8'))?.[1];

describe('docs kept in sync with the code', () => {
  it('docs/enrollment-states.md shows exactly the transition table', () => {
    expect(block('docs/enrollment-states.md')).toBe(stateDiagram());
  });

  it('docs/errors.md lists every code with its status, and no code that does not exist', () => {
    const documented = new Map(
      [...(block('docs/errors.md') ?? '').matchAll(/^\| `([a-z0-9_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]),
    );
    const defined = new Map([...errorCatalogue()].map(([code, d]) => [code, d.status]));
    expect(documented).toEqual(defined);
    expect(block('docs/errors.md')).toBe(errorTable());
  });

  it('every code is snake_case with a module prefix and a sensible status', () => {
    for (const [code, d] of errorCatalogue()) {
      expect(code).toMatch(/^[a-z]+(_[a-z0-9]+)+$/);
      expect(d.status).toBeGreaterThanOrEqual(400);
      expect(d.status).toBeLessThan(600);
    }
  });
});
