// Writes libs/contracts/schemas/** from the catalogs, and docs/events/ (the AsyncAPI document and
// the event catalogue) from the same contracts. Run: npm run contracts:schemas
//
// With `--accept-additions` (npm run contracts:schemas -- --accept-additions) it also brings the
// compatibility baseline (libs/contracts/schemas/baseline/) up to date with new event types and
// compatible changes (added optional properties); it refuses, and writes no baseline file, when a
// change is breaking (docs/contracts.md: that needs a new event version).
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderEventDocs } from './asyncapi';
import { BASELINE_DIR, compareCatalog, currentEventSchemas, readBaseline } from './compatibility';
import { renderJsonSchemas } from './json-schemas';

const root = join(__dirname, '..', '..', 'schemas');
for (const sub of ['events', 'jobs']) rmSync(join(root, sub), { recursive: true, force: true });
const files = renderJsonSchemas();
for (const [name, content] of Object.entries(files)) {
  mkdirSync(dirname(join(root, name)), { recursive: true });
  writeFileSync(join(root, name), content);
}
process.stdout.write(`wrote ${Object.keys(files).length} schema(s) to ${root}: ${readdirSync(root).join(', ')}\n`);

const eventDocs = join(__dirname, '..', '..', '..', '..', 'docs', 'events');
mkdirSync(eventDocs, { recursive: true });
for (const [name, content] of Object.entries(renderEventDocs())) writeFileSync(join(eventDocs, name), content);
process.stdout.write(`wrote the AsyncAPI document and the event catalogue to ${eventDocs}\n`);

if (process.argv.includes('--accept-additions')) {
  const current = currentEventSchemas();
  const result = compareCatalog(existsSync(BASELINE_DIR) ? readBaseline() : {}, current);
  const breaking = Object.entries(result.breaking);
  if (breaking.length) {
    for (const [type, changes] of breaking) process.stderr.write(`${type}: breaking change(s), not accepted:\n  ${changes.join('\n  ')}\n`);
    process.stderr.write('a breaking change needs a new event version (vN+1) published beside the old one; see docs/contracts.md\n');
    process.exit(1);
  }
  mkdirSync(BASELINE_DIR, { recursive: true });
  for (const type of [...result.added, ...result.changed]) writeFileSync(join(BASELINE_DIR, `${type}.json`), JSON.stringify(current[type], null, 2) + '\n');
  process.stdout.write(`baseline: ${result.added.length} new event type(s), ${result.changed.length} compatible change(s) accepted\n`);
}
