// Regenerates the generated blocks of docs/errors.md and docs/enrollment-states.md.
// Tests fail when the committed docs differ from what this would write.
import { readFileSync, writeFileSync } from 'node:fs';
import { errorTable, stateDiagram } from '../src/docs-sync.js';

function replaceBlock(path: string, block: string) {
  const text = readFileSync(path, 'utf8');
  const re = /<!-- generated:start -->[\s\S]*<!-- generated:end -->/;
  if (!re.test(text)) throw new Error(`${path} has no generated block`);
  writeFileSync(path, text.replace(re, `<!-- generated:start -->\n${block}\n<!-- generated:end -->`));
}

replaceBlock('docs/errors.md', errorTable());
replaceBlock('docs/enrollment-states.md', stateDiagram());
console.log('docs regenerated');
