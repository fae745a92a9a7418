import { GENERIC_ERRORS, OpenApiDocument, ROUTES, breakingApiChanges, securityOf } from '@settle/contracts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { BASELINE_FILE, DOCUMENT_FILE, generateApiDocument, readDocument, render, repoRoot, serviceDocuments, validateDocumentFile } from './api-document';

/**
 * The OpenAPI document integrators read (docs/api/openapi.json): made from the routes' zod
 * schemas, current, valid OpenAPI 3.1, covering every route the gateway exposes, and compatible
 * with the published baseline (docs/contracts.md).
 */
const document = generateApiDocument();
const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op: op as Record<string, unknown> })));
const at = relative(repoRoot, DOCUMENT_FILE);

describe('the API document', () => {
  it(`is committed as generated (${at}; npm run contracts:openapi writes it)`, () => {
    const committed = readDocument(DOCUMENT_FILE);
    expect(committed).toBeDefined();
    // Compared as text: the committed file is exactly what the generator writes.
    expect(render(committed!) === render(document)).toBe(true);
  });

  it('is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(file, render(document));
    const result = validateDocumentFile(file);
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ valid: true, version: '3.1' });
  });

  it('documents every partner and operator route each service declares, each under the gateway prefix that routes it there', () => {
    const documented = new Set(operations.map(({ path, method }) => `${method.toUpperCase()} ${path}`));
    const declared = serviceDocuments().flatMap(({ service, document: own }) =>
      Object.entries(own.paths ?? {}).flatMap(([path, item]) => Object.keys(item).map((method) => ({ service, key: `${method.toUpperCase()} ${path}` }))),
    );
    expect(declared.length).toBeGreaterThan(150);
    expect(declared.filter((d) => !documented.has(d.key)).map((d) => `${d.service}: ${d.key} is not routed to it by the gateway`)).toEqual([]);
    expect(documented.size).toBe(declared.length);
  });

  it('has an operation under every prefix of the gateway\'s route table', () => {
    const paths = Object.keys(document.paths ?? {});
    expect(ROUTES.filter((r) => !paths.some((p) => p === r.prefix || p.startsWith(`${r.prefix}/`))).map((r) => r.prefix)).toEqual([]);
  });

  it('gives every operation a unique id, a summary, its security scheme, its answer and the error shape with its codes', () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const problems = operations.flatMap(({ path, method, op }) => {
      const where = `${method.toUpperCase()} ${path}`;
      const out: string[] = [];
      if (!op.summary) out.push(`${where}: no summary`);
      const security = JSON.stringify(op.security);
      const audience = op['x-settle-audience'];
      if (security !== JSON.stringify(securityOf(audience as 'partner' | 'operator'))) out.push(`${where}: security ${security} for a ${String(audience)} route`);
      const responses = op.responses as Record<string, { content?: Record<string, { schema?: { allOf?: Array<Record<string, unknown>> } }> }>;
      if (!Object.keys(responses).some((s) => /^[23]/.test(s))) out.push(`${where}: no success answer`);
      for (const status of ['401', '403', '500']) if (!responses[status]) out.push(`${where}: no ${status}`);
      if ((op.parameters || op.requestBody) && !responses['400']) out.push(`${where}: takes input but documents no 400`);
      for (const [status, response] of Object.entries(responses).filter(([s]) => /^[45]/.test(s))) {
        const schema = response.content?.['application/json']?.schema;
        if (schema?.allOf?.[0]?.$ref !== '#/components/schemas/ErrorResponse') out.push(`${where}: ${status} is not the error shape`);
        const generic = GENERIC_ERRORS[Number(status) as keyof typeof GENERIC_ERRORS];
        const codes = (schema?.allOf?.[1]?.properties as { error_code?: { enum?: string[] } } | undefined)?.error_code?.enum ?? [];
        if (generic && !codes.includes(generic.code)) out.push(`${where}: ${status} lacks ${generic.code}`);
        if (!codes.length) out.push(`${where}: ${status} names no code`);
      }
      return out;
    });
    expect(problems).toEqual([]);
  });

  it('changes nothing incompatibly against the published baseline (fields only added, and optional; no route removed)', () => {
    const baseline = readDocument(BASELINE_FILE) as OpenApiDocument;
    expect(baseline).toBeDefined();
    expect(breakingApiChanges(baseline, document)).toEqual([]);
  });
});
