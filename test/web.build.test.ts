import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WEB_DIST } from './helpers/build-web.js';

const dist = (f: string) => readFileSync(join(WEB_DIST, f));
const html = () => dist('index.html').toString('utf8');

describe('the web build', () => {
  it('keeps the enrollment path\'s initial JavaScript within 150 KB gzip (entry, its static imports, the locale chunk)', () => {
    const entry = /<script type="module"[^>]*src="\/(assets\/[^"]+\.js)"/.exec(html())![1];
    const preloads = [...html().matchAll(/<link rel="modulepreload"[^>]*href="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
    const locale = JSON.parse(dist('script-inventory.json').toString('utf8')).scripts
      .map((s: { url: string }) => s.url.slice(1))
      .filter((u: string) => /^assets\/(en|ja|ar)-[\w-]+\.js$/.test(u));
    const biggestLocale = Math.max(...locale.map((f: string) => gzipSync(dist(f), { level: 9 }).length));
    const total = [entry, ...preloads].reduce((sum, f) => sum + gzipSync(dist(f), { level: 9 }).length, 0) + biggestLocale;
    expect(total).toBeLessThanOrEqual(150 * 1024);
  });

  it('names every script with its SHA-384 (SRI), and the committed inventory matches the build: a changed script needs a reviewed inventory (PCI DSS 6.4.3)', () => {
    const built = JSON.parse(dist('script-inventory.json').toString('utf8'));
    const committed = JSON.parse(readFileSync(new URL('../web/script-inventory.json', import.meta.url), 'utf8'));
    expect(built).toEqual(committed);
    for (const m of html().matchAll(/<script[^>]*src="(\/assets\/[^"]+)"[^>]*>/g)) {
      const entry = committed.scripts.find((s: { url: string }) => s.url === m[1]);
      expect(m[0]).toContain(`integrity="${entry.sha384}"`);
    }
    expect(html()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script: the CSP allows none
  });
});
