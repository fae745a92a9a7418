import { z } from 'zod';
import { Audience, UpstreamService, gatewayRouteOf } from './gateway-routes';

/**
 * The pieces of the OpenAPI document that are the same for every service, and the composition of
 * the services' documents into the one the gateway serves at `/openapi.json` (and that
 * `npm run contracts:openapi` writes to docs/api/openapi.json): each service documents its own
 * routes from its zod schemas; the gateway keeps exactly the paths its route table sends to that
 * service, for that audience.
 */

/** The API's version in the documents (the platform's version; package.json's, which a test keeps equal). */
export const API_VERSION = '0.1.0';

/** The error shape of every failure: `{"error_code": "CBC.…", "error_msg": "…"}` (batch calls add `error_details`). */
export const ApiErrorBodySchema = z
  .looseObject({
    error_code: z.string().regex(/^CBC\.\d+$/).describe('A stable code: the generic ones (CBC.0100 bad parameter, CBC.0101 not found, CBC.0150 unauthenticated, CBC.0151 access denied, CBC.0250 throttled, CBC.0999 internal) or a domain code the operation lists.'),
    error_msg: z.string().describe('What is wrong, for a person; never a stack trace.'),
  })
  .meta({ id: 'ErrorResponse', description: 'The error shape of the partner API. Batch operations add `error_details`, one entry per refused item.' });

export const SECURITY_SCHEMES = {
  partnerSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      'The provider\'s AK/SK signature: `SDK-HMAC-SHA256 Access=<access key>, SignedHeaders=<names>, Signature=<hex>` over the canonical request (method, path, query, signed headers, SHA-256 of the body), with `X-Sdk-Date` (UTC, `YYYYMMDDTHHMMSSZ`, within 15 minutes). The official SDKs\' signers produce it; `X-Domain-Id` or `X-Project-Id` may be signed too. A signed mutation applies once per signature.',
  },
  operatorToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'Settle operator token',
    description: 'An operator token (`npx settle operator-token --subject <name>`), signed with OPERATOR_TOKEN_SECRET; it names the operator and expires.',
  },
} as const;

/** The security requirement of an audience's operations. */
export function securityOf(audience: Audience): Array<Record<string, string[]>> {
  return [{ [audience === 'partner' ? 'partnerSignature' : 'operatorToken']: [] }];
}

/** Generic failure codes and the statuses they come with (each operation lists the ones it can answer). */
export const GENERIC_ERRORS = {
  400: { code: 'CBC.0100', when: 'a parameter is missing, malformed or out of range (error_msg names it)' },
  401: { code: 'CBC.0150', when: 'unsigned, a bad signature, an unknown or revoked key, a stale date, or a replayed signature' },
  403: { code: 'CBC.0151', when: 'the caller may not do this: another tenant\'s data, a role or permission it lacks' },
  404: { code: 'CBC.0101', when: 'the resource does not exist or is not the caller\'s to see' },
  429: { code: 'CBC.0250', when: 'too many requests for this access key (Retry-After says when to try again)' },
  500: { code: 'CBC.0999', when: 'an unexpected fault; error_msg carries a reference to quote' },
} as const;

/** An OpenAPI document as plain JSON (what the services serve and the gateway composes). */
export type OpenApiDocument = {
  openapi: string;
  info: Record<string, unknown>;
  paths?: Record<string, Record<string, Record<string, unknown>>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> } & Record<string, unknown>;
  tags?: Array<{ name: string; description?: string }>;
} & Record<string, unknown>;

export interface ServiceDocument {
  service: UpstreamService;
  document: OpenApiDocument;
}

export interface ComposeOptions {
  version: string;
  /** `servers[0].url`; relative (`/`) in the committed document, so it is the gateway that served it. */
  serverUrl?: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Thrown when the services' documents cannot be composed: a path routed to another service or audience, or one schema name with two meanings. */
export class OpenApiCompositionError extends Error {}

/**
 * The gateway's document: every path a service documents that the gateway routes to it, with the
 * route's audience; schemas merged by name (one name, one meaning). Deterministic: paths, methods
 * and schemas sorted, so the committed document diffs cleanly.
 */
export function composeOpenApi(services: ServiceDocument[], options: ComposeOptions): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = {};
  const owner: Record<string, string> = {};
  const problems: string[] = [];
  for (const { service, document } of [...services].sort((a, b) => a.service.localeCompare(b.service))) {
    for (const [template, item] of Object.entries(document.paths ?? {})) {
      const route = gatewayRouteOf(template.replace(/\{[^}]+\}/g, 'x'));
      if (!route || route.service !== service) continue;
      for (const method of METHODS) {
        const operation = item[method] as Record<string, unknown> | undefined;
        if (!operation) continue;
        const audience = operation['x-settle-audience'];
        if (audience !== route.audience) {
          problems.push(`${method.toUpperCase()} ${template} (${service}) is declared for ${String(audience)} but the gateway routes it to ${route.audience}s`);
          continue;
        }
        paths[template] ??= {};
        if (paths[template][method]) problems.push(`${method.toUpperCase()} ${template} is documented by two services`);
        paths[template][method] = operation;
      }
    }
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      if (schemas[name] !== undefined && JSON.stringify(schemas[name]) !== JSON.stringify(schema)) {
        problems.push(`schema ${name} means one thing in ${owner[name]} and another in ${service}: give one of them another id`);
        continue;
      }
      schemas[name] = schema;
      owner[name] ??= service;
    }
  }
  if (problems.length) throw new OpenApiCompositionError(`cannot compose the API document:\n- ${problems.join('\n- ')}`);

  const usedTags = new Set(Object.values(paths).flatMap((item) => Object.values(item).flatMap((op) => ((op as { tags?: string[] }).tags ?? []))));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Settle API',
      version: options.version,
      summary: 'The partner API (compatible with the provider\'s partner API) and the operator API of the Settle settlement platform, as the gateway exposes them.',
      description:
        'One base URL for both audiences. Partner operations are signed with the partner\'s access key and secret key (AK/SK, the provider\'s SDK-HMAC-SHA256, which the official SDKs produce); operator operations carry a bearer operator token. Every failure answers the error shape `{"error_code", "error_msg"}` with the codes each operation lists. Amounts are decimal strings in the currency\'s exponent; times are ISO 8601 in UTC. Versioning rules: docs/contracts.md.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: options.serverUrl ?? '/', description: 'The Settle gateway' }],
    tags: [...usedTags].sort().map((name) => ({ name })),
    paths: sortKeys(Object.fromEntries(Object.entries(paths).map(([p, item]) => [p, sortKeys(item, METHODS)]))) as OpenApiDocument['paths'],
    components: { schemas: sortKeys(schemas), securitySchemes: SECURITY_SCHEMES as unknown as Record<string, unknown> },
  };
}

function sortKeys<T>(record: Record<string, T>, order?: string[]): Record<string, T> {
  const rank = (k: string) => (order ? order.indexOf(k) : 0);
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)));
}
