import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '../src/app.js'; // every module's defineErrors runs on import
import { errorCatalogue } from '../src/kernel/errors.js';
import { messages, SUPPORTED_LOCALES } from '../src/i18n/index.js';

const codes = new Set([...errorCatalogue()].map(([code]) => code));
const en = messages().en;
const problemsSource = readFileSync(new URL('../web/src/lib/problems.ts', import.meta.url), 'utf8');

/**
 * The web app shows every problem code as a localized message: its own `web.problem.<code>` where it has a more
 * actionable text, else the server's title, which every locale translates (`error.<code>.title`). These checks keep
 * the app's mapping from drifting away from the server's codes.
 */
describe('problem codes in the web app', () => {
  it('every code has a localized message in every locale (the app\'s own or the server\'s title)', () => {
    for (const locale of SUPPORTED_LOCALES.filter((l) => l !== 'en')) {
      const m = messages()[locale];
      const missing = [...codes].filter((c) => !(`web.problem.${c}` in m) && !(`error.${c}.title` in m));
      expect(missing, locale).toEqual([]);
    }
  });

  it('names only codes that exist, in web.problem.* and in the code → input map', () => {
    const own = Object.keys(en).filter((k) => k.startsWith('web.problem.')).map((k) => k.slice('web.problem.'.length));
    expect(own.filter((c) => !codes.has(c))).toEqual([]);
    const mapped = [...problemsSource.slice(problemsSource.indexOf('CODE_FIELD'), problemsSource.indexOf('};')).matchAll(/(\w+): '\w+'/g)].map((m) => m[1]);
    expect(mapped.length).toBeGreaterThan(5);
    expect(mapped.filter((c) => !codes.has(c))).toEqual([]);
  });

  it('has a text for each decline advice the payments module gives', () => {
    const advice = [...readFileSync(new URL('../src/payments/decline-advice.ts', import.meta.url), 'utf8').matchAll(/advice: '(\w+)'/g)].map((m) => m[1]);
    expect(advice.length).toBeGreaterThan(0);
    for (const a of new Set(advice)) expect(en).toHaveProperty([`web.advice.${a}`]);
  });
});
