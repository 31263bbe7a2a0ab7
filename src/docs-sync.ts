import './app.js'; // importing the app registers every module's error codes
import { TRANSITIONS } from './enrollment/index.js';
import { errorCatalogue } from './kernel/errors.js';

/** The mermaid diagram of the transition table, as docs/enrollment-states.md must contain it. */
export function stateDiagram(): string {
  const lines = ['```mermaid', 'stateDiagram-v2', '  [*] --> started: POST /v1/enrollments'];
  for (const [from, event, to] of TRANSITIONS) lines.push(`  ${from} --> ${to}: ${event}`);
  lines.push('  completed --> [*]', '```');
  return lines.join('\n');
}

/** The error table rows, as docs/errors.md must contain them (sorted by code). */
export function errorTable(): string {
  const rows = [...errorCatalogue().entries()].sort(([a], [b]) => a.localeCompare(b));
  return ['| code | status | title |', '| --- | --- | --- |', ...rows.map(([code, d]) => `| \`${code}\` | ${d.status} | ${d.title} |`)].join('\n');
}
