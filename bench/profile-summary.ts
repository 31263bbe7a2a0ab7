/**
 * Summarize a V8 .cpuprofile written by `npm run bench -- --cpu-prof DIR`:
 * where the service's main thread spent its time, by package, and the
 * functions of our own code (src/) including the native work they call.
 *
 *   npx tsx bench/profile-summary.ts DIR/CPU.<…>.0.001.cpuprofile [--skip-ms 5000] [--top 25]
 *
 * --skip-ms drops the start-up (module loading, migrations) from the figures.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number }

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'skip-ms': { type: 'string', default: '5000' }, top: { type: 'string', default: '25' } } });
if (positionals.length !== 1) {
  console.error('usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [--skip-ms N] [--top N]');
  process.exit(64);
}
const p = JSON.parse(readFileSync(positionals[0], 'utf8')) as Profile;
const skipUs = Number(values['skip-ms']) * 1000;
const top = Number(values.top);
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const SPECIAL = new Set(['(idle)', '(garbage collector)', '(program)']);
function owner(url: string): string | null {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const src = /\/src\/([^/]+)/.exec(url);
  if (src) return `src/${src[1]}`;
  if (url.startsWith('wasm://')) return 'wasm (PGlite)';
  return null; // node core or native: charged to the nearest JS caller
}
const ancestors = function* (id: number) {
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) yield byId.get(cur)!;
};

const byPkg = new Map<string, number>();
const bySrcFn = new Map<string, number>();
let total = 0;
let t = p.startTime;
for (let i = 0; i < p.samples.length; i++) {
  t += p.timeDeltas[i];
  if (t - p.startTime < skipUs) continue;
  const d = p.timeDeltas[i + 1] ?? 0;
  total += d;
  const leaf = byId.get(p.samples[i])!;
  let pkg: string | null = SPECIAL.has(leaf.callFrame.functionName) ? leaf.callFrame.functionName : null;
  let srcFn: string | null = null;
  for (const n of ancestors(leaf.id)) {
    pkg ??= owner(n.callFrame.url);
    if (n.callFrame.url.includes('/src/')) {
      srcFn = `${n.callFrame.functionName || '(anonymous)'}  ${n.callFrame.url.replace(/^.*?\/src\//, 'src/')}  [leaf: ${leaf.callFrame.functionName || '(anonymous)'}]`;
      break;
    }
    if (pkg && pkg !== 'src') break;
  }
  pkg ??= 'node core (no JS caller)';
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + d);
  if (srcFn && pkg.startsWith('src/')) bySrcFn.set(srcFn, (bySrcFn.get(srcFn) ?? 0) + d);
}
const show = (m: Map<string, number>) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${(v / 1000).toFixed(0).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log(`main thread, ${(total / 1e6).toFixed(1)} s sampled after the first ${values['skip-ms']} ms`);
console.log('\nby owner (native and node-core time charged to the nearest package or src module above it):');
console.log(show(byPkg));
console.log('\nour code (src/): self time plus native/node-core work it calls directly:');
console.log(show(bySrcFn));
