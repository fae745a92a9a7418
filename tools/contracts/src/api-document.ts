/**
 * The gateway's API document made offline, the same composition the gateway makes at
 * `/openapi.json` from the running services: each backend service's own document (made from its
 * routes' zod schemas, nothing started) through the gateway's route table. The services are loaded
 * by path, as the deployment test loads their configuration: this project drives the apps from
 * outside rather than importing one app into another project.
 */
import 'reflect-metadata';
import { API_VERSION, OpenApiDocument, ServiceDocument, UpstreamService, composeOpenApi } from '@settle/contracts';
import { offlineEnv } from '@settle/service-kit/testing';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..', '..');
/** The committed document integrators read (written by `npm run contracts:openapi`). */
export const DOCUMENT_FILE = join(repoRoot, 'docs', 'api', 'openapi.json');
/** The document as last published: the compatibility baseline (moved by `npm run contracts:openapi -- --accept-additions`). */
export const BASELINE_FILE = join(repoRoot, 'libs', 'contracts', 'schemas', 'http-baseline', 'openapi.json');

export const BACKEND_SERVICES: UpstreamService[] = ['customer-service', 'billing-service', 'incentive-service', 'invoice-service', 'marketplace-service'];

interface DocumentedService {
  definition: { name: string };
  openapi(env: NodeJS.ProcessEnv): OpenApiDocument;
}

function loadService(name: UpstreamService): DocumentedService {
  const file = join(repoRoot, 'apps', name, 'src', `${name}.ts`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(file) as Record<string, unknown>;
  const service = Object.values(exported).find((v) => typeof (v as DocumentedService)?.openapi === 'function' && (v as DocumentedService).definition?.name === name);
  if (!service) throw new Error(`${file} exports no defineBackendService definition named ${name}`);
  return service as DocumentedService;
}

/** Each service's own document, as it serves it at `GET /openapi.json`. */
export function serviceDocuments(): ServiceDocument[] {
  const env = offlineEnv();
  return BACKEND_SERVICES.map((service) => ({ service, document: loadService(service).openapi(env) }));
}

export function generateApiDocument(): OpenApiDocument {
  return composeOpenApi(serviceDocuments(), { version: API_VERSION });
}

/** The document as committed: stable text (two-space JSON, newline at the end), so a change diffs cleanly. */
export function render(document: OpenApiDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function readDocument(file: string): OpenApiDocument | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument) : undefined;
}

export interface ValidationResult {
  valid: boolean;
  version: string;
  errors: unknown[];
}

/** Validates a document file with @seriousme/openapi-schema-validator (in a process of its own: the package is ESM only). */
export function validateDocumentFile(file: string): ValidationResult {
  const out = execFileSync(process.execPath, [join(__dirname, 'validate-openapi.mjs'), file], { cwd: repoRoot, encoding: 'utf8' });
  return JSON.parse(out) as ValidationResult;
}
