// Writes docs/api/openapi.json: the OpenAPI 3.1 document of every partner and operator route the
// gateway exposes, made from the routes' zod schemas. Run: npm run contracts:openapi
//   --check              write nothing; exit 1 when the committed document is stale
//   --accept-additions   also move the compatibility baseline to this document, when it is compatible
// Either way it exits 1 on a breaking change against the baseline (docs/contracts.md).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { addedOperations, breakingApiChanges } from '@settle/contracts';
import { BASELINE_FILE, DOCUMENT_FILE, generateApiDocument, readDocument, render, repoRoot } from './api-document';

function main(): void {
  const document = generateApiDocument();
  const text = render(document);
  const operations = Object.values(document.paths ?? {}).reduce((n, item) => n + Object.keys(item).length, 0);
  const committed = readDocument(DOCUMENT_FILE);
  const at = relative(repoRoot, DOCUMENT_FILE);

  if (process.argv.includes('--check')) {
    if (!committed || render(committed) !== text) {
      process.stderr.write(`${at} is stale: run npm run contracts:openapi and commit it\n`);
      process.exitCode = 1;
    } else process.stdout.write(`${at} is current (${operations} operations)\n`);
  } else {
    mkdirSync(dirname(DOCUMENT_FILE), { recursive: true });
    writeFileSync(DOCUMENT_FILE, text);
    process.stdout.write(`wrote ${at}: ${Object.keys(document.paths ?? {}).length} paths, ${operations} operations\n`);
  }

  const baseline = readDocument(BASELINE_FILE);
  const breaking = baseline ? breakingApiChanges(baseline, document) : [];
  if (breaking.length) {
    process.stderr.write(`breaking change(s) against the published baseline (${relative(repoRoot, BASELINE_FILE)}):\n  ${breaking.join('\n  ')}\n`);
    process.stderr.write('a breaking change is a new route version published beside the old one; see docs/contracts.md\n');
    process.exitCode = 1;
    return;
  }
  if (process.argv.includes('--accept-additions')) {
    const added = baseline ? addedOperations(baseline, document) : [];
    mkdirSync(dirname(BASELINE_FILE), { recursive: true });
    writeFileSync(BASELINE_FILE, text);
    process.stdout.write(`baseline moved: ${baseline ? `${added.length} new operation(s)` : 'first baseline'}, compatible with the one before\n`);
  }
}

main();
