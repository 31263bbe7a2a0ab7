import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const LOCALES = ['en', 'de', 'fr', 'es', 'ja', 'pt-BR', 'ar'];
const localesDir = fileURLToPath(new URL('../src/i18n/locales/', import.meta.url));

/**
 * The SPA's texts come from the server's ICU catalogues (src/i18n/locales): one virtual module per locale holding
 * only the `web.*` keys, so a page downloads its own language and nothing of the emails or the other six.
 */
function webMessages(): Plugin {
  const prefix = 'virtual:web-messages';
  return {
    name: 'enroll-web-messages',
    resolveId: (id) => (id === prefix || id.startsWith(`${prefix}/`) ? `\0${id}` : null),
    load(id) {
      if (id === `\0${prefix}`) {
        const entries = LOCALES.map((l) => `${JSON.stringify(l)}: () => import(${JSON.stringify(`${prefix}/${l}`)}).then((m) => m.default)`);
        return `export const loaders = {${entries.join(',\n')}};`;
      }
      if (id.startsWith(`\0${prefix}/`)) {
        const locale = id.slice(prefix.length + 2);
        const file = `${localesDir}${locale}.json`;
        this.addWatchFile(file);
        const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
        const web = Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith('web.')));
        return `export default ${JSON.stringify(web)};`;
      }
      return null;
    },
  };
}

/**
 * Subresource integrity on every script and stylesheet the HTML names, and the build's script inventory
 * (URL + SHA-384 of every JS file it emits) in dist/, which test/web.scripts.browser.test.ts compares with the
 * committed web/script-inventory.json (PCI DSS 6.4.3: every payment-page script authorised and its integrity known).
 */
function integrity(): Plugin {
  const sha384 = (src: string | Uint8Array) => `sha384-${createHash('sha384').update(src).digest('base64')}`;
  return {
    name: 'enroll-integrity',
    apply: 'build',
    // After the files are written: the hashes must be of the exact bytes the server sends.
    writeBundle(opts, bundle) {
      const dir = opts.dir!;
      const read = (name: string) => readFileSync(join(dir, name));
      const scripts = Object.keys(bundle)
        .filter((f) => f.endsWith('.js'))
        .map((f) => ({ url: `/${f}`, sha384: sha384(read(f)) }))
        .sort((a, b) => a.url.localeCompare(b.url));
      writeFileSync(join(dir, 'script-inventory.json'), `${JSON.stringify({ scripts }, null, 2)}\n`);
      const html = read('index.html').toString('utf8').replace(/<(script|link)([^>]*?)(src|href)="\/(assets\/[^"]+)"([^>]*)>/g,
        (_m, tag, a, attr, file, b) => `<${tag}${a}${attr}="/${file}" integrity="${sha384(read(file))}"${b}>`);
      writeFileSync(join(dir, 'index.html'), html);
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be an inline script: the CSP allows none.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  // Production JSX whatever NODE_ENV the caller has (vitest sets test): dev JSX would embed absolute file paths.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact', development: false } },
  resolve: {
    // The server's email rules run in the browser as they are; only node:url's IDNA needs the URL parser instead.
    alias: { 'node:url': fileURLToPath(new URL('./src/lib/node-url-shim.ts', import.meta.url)) },
  },
  plugins: [webMessages(), integrity()],
});
