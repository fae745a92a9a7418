// Writes libs/contracts/schemas/** from the catalogs, and docs/events/ (the AsyncAPI document and
// the event catalogue) from the same contracts. Run: npm run contracts:schemas
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderEventDocs } from './asyncapi';
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
