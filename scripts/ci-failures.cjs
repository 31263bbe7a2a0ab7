// Prints one line per failed test (and per file that failed outside any test) from a vitest JSON report,
// so that the end of a CI log, which is what a truncated excerpt shows, names what failed.
// Usage: node scripts/ci-failures.cjs <report.json> <label>
const [, , file, label] = process.argv;
const report = require(require('node:path').resolve(file));
const firstLine = (s) => String(s || '').split('\n')[0].slice(0, 300);
for (const f of report.testResults) {
  const name = f.name.replace(process.cwd() + '/', '');
  const failed = f.assertionResults.filter((a) => a.status === 'failed');
  for (const a of failed) console.log(`${label}: ${name} > ${a.fullName}\n    ${firstLine(a.failureMessages?.[0])}`);
  if (f.status === 'failed' && failed.length === 0) console.log(`${label}: ${name} (file failed) ${firstLine(f.message)}`);
}
