import { ApiError, ErrorCodes, API_VERSION, OpenApiDocument, ServiceDocument, UpstreamService, composeOpenApi } from '@settle/contracts';
import { Logger } from '@settle/platform';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getAbsoluteFSPath } from 'swagger-ui-dist';

/** How long a composed document is served before the services are asked again. */
const CACHE_MS = 30_000;
const UPSTREAM_TIMEOUT_MS = 3_000;

/** The API document could not be made: a service did not answer with its part. */
export class ApiDocumentUnavailableError extends ApiError {
  constructor(message: string) {
    super(503, ErrorCodes.Internal, message);
  }
}

/**
 * `GET /openapi.json`: the OpenAPI 3.1 document of everything the gateway exposes, composed from
 * each service's own document (`GET /openapi.json` on the service, made from its routes' zod
 * schemas) and this gateway's route table, so it describes the versions actually running.
 * `npm run contracts:openapi` writes the same composition to docs/api/openapi.json.
 */
export class ApiDocument {
  private cached?: { at: number; document: OpenApiDocument };
  private pending?: Promise<OpenApiDocument>;

  constructor(
    private readonly urls: Record<UpstreamService, string>,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<OpenApiDocument> {
    if (this.cached && this.now() - this.cached.at < CACHE_MS) return this.cached.document;
    this.pending ??= this.compose().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async compose(): Promise<OpenApiDocument> {
    const entries = Object.entries(this.urls) as Array<[UpstreamService, string]>;
    const results = await Promise.allSettled(entries.map(([service, url]) => fetchDocument(service, url)));
    const missing = results.flatMap((r, i) => (r.status === 'rejected' ? [`${entries[i]![0]} (${(r.reason as Error).message})`] : []));
    if (missing.length) {
      this.logger.warn({ missing }, 'API document: a service did not answer with its part');
      throw new ApiDocumentUnavailableError(`The API document is incomplete now: ${missing.join('; ')} did not answer. Try again shortly.`);
    }
    const services = results.map((r) => (r as PromiseFulfilledResult<ServiceDocument>).value);
    const document = composeOpenApi(services, { version: API_VERSION });
    this.cached = { at: this.now(), document };
    return document;
  }
}

async function fetchDocument(service: UpstreamService, baseUrl: string): Promise<ServiceDocument> {
  const res = await fetch(`${baseUrl}/openapi.json`, { signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`answered ${res.status}`);
  return { service, document: (await res.json()) as OpenApiDocument };
}

/** The browsable page: Swagger UI from the swagger-ui-dist package, reading /openapi.json. */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Settle API</title>
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/settle-init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, docExpansion: 'none', defaultModelsExpandDepth: 0, displayOperationId: true, filter: true, tryItOutEnabled: false });\n`;

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

export class ApiDocsPage {
  private readonly files = new Map<string, Buffer>();

  /** Answers `/docs`, `/docs/` and its assets; false for any other path under /docs (the caller answers 404). */
  serve(path: string, res: Response): boolean {
    if (path === '/docs' || path === '/docs/') return this.send(res, 'text/html; charset=utf-8', Buffer.from(PAGE));
    if (path === '/docs/settle-init.js') return this.send(res, 'text/javascript; charset=utf-8', Buffer.from(INIT));
    const name = path.slice('/docs/'.length);
    const type = ASSETS[name];
    if (!type) return false;
    let file = this.files.get(name);
    if (!file) {
      file = readFileSync(join(getAbsoluteFSPath(), name));
      this.files.set(name, file);
    }
    return this.send(res, type, file, 'public, max-age=3600');
  }

  private send(res: Response, type: string, body: Buffer, cache = 'no-cache'): true {
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', cache);
    res.status(200).end(body);
    return true;
  }
}
