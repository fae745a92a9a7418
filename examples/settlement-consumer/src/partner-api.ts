// A partner-API client as an integrator writes one: every request signed with the provider's
// official Node SDK signer (AK/SK, SDK-HMAC-SHA256), and every answer checked against the
// operation's response schema in Settle's published OpenAPI document (GET /openapi.json on the
// gateway, or docs/api/openapi.json), with Ajv. No Settle library is imported.
//
//   const api = await PartnerApiClient.connect('http://127.0.0.1:8080', { accessKey, secretKey });
//   const { status, body, problems } = await api.call('GET', '/v2/accounts/partner-accounts/balances');
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Json>>;
  components?: { schemas?: Record<string, Json> };
}

export interface PartnerCredentials {
  accessKey: string;
  secretKey: string;
}

export interface CallResult {
  status: number;
  body: unknown;
  /** The documented operation this call matched (`operationId`), if any. */
  operationId?: string;
  /** Where the answer differs from the document (empty: it matches). */
  problems: string[];
}

/** `X-Sdk-Date` as the provider's SDKs write it: 20261122T101500Z. */
function sdkDate(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export class PartnerApiClient {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: Array<{ method: string; pattern: RegExp; template: string }>;

  constructor(
    readonly baseUrl: string,
    private readonly credentials: PartnerCredentials,
    readonly document: OpenApiDocument,
  ) {
    addFormats(this.ajv);
    // Components are referenced as #/components/schemas/<name>: the document is registered once under its own id.
    this.ajv.addSchema({ $id: 'settle-openapi', components: document.components ?? {} } as Json);
    this.routes = Object.entries(document.paths).flatMap(([template, item]) =>
      Object.keys(item).map((method) => ({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
      })),
    );
  }

  /** A client whose document comes from the gateway it calls (what that deployment actually serves). */
  static async connect(baseUrl: string, credentials: PartnerCredentials): Promise<PartnerApiClient> {
    const res = await fetch(`${baseUrl}/openapi.json`);
    if (!res.ok) throw new Error(`${baseUrl}/openapi.json answered ${res.status}: ${await res.text()}`);
    return new PartnerApiClient(baseUrl, credentials, (await res.json()) as OpenApiDocument);
  }

  async call(method: string, path: string, options: { query?: Record<string, string>; body?: unknown } = {}): Promise<CallResult> {
    const query = options.query ?? {};
    const signed = AKSKSigner.sign(
      {
        method,
        endpoint: `${this.baseUrl}${path}`,
        headers: { 'Content-Type': 'application/json', 'X-Sdk-Date': sdkDate() },
        queryParams: query,
        data: options.body,
      } as never,
      new BasicCredentials().withAk(this.credentials.accessKey).withSk(this.credentials.secretKey),
    ) as Record<string, string>;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(signed)) if (!k.startsWith(':')) headers[k] = String(v);
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.append(k, v);
    const res = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await res.text();
    const body: unknown = text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text || undefined;
    return { status: res.status, body, ...this.check(method, path, res.status, res.headers.get('content-type') ?? '', body) };
  }

  /** The answer against the documented operation: a documented status, and a body of its schema. */
  private check(method: string, path: string, status: number, contentType: string, body: unknown): { operationId?: string; problems: string[] } {
    const route = this.routes.find((r) => r.method === method.toUpperCase() && r.pattern.test(path));
    if (!route) return { problems: [`${method} ${path} is not in the API document`] };
    const operation = this.document.paths[route.template]![route.method.toLowerCase()]!;
    const operationId = operation.operationId as string | undefined;
    const responses = (operation.responses ?? {}) as Record<string, Json>;
    const response = responses[String(status)] ?? responses.default;
    if (!response) return { operationId, problems: [`status ${status} is not documented for ${route.method} ${route.template} (documented: ${Object.keys(responses).join(', ')})`] };
    const media = contentType.split(';')[0]!.trim();
    const schema = ((response.content as Record<string, Json> | undefined)?.[media]?.schema ?? undefined) as Json | undefined;
    if (!schema) return { operationId, problems: response.content && body !== undefined ? [`media type ${media} is not documented for status ${status}`] : [] };
    const key = `${route.method} ${route.template} ${status} ${media}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(schema));
      this.validators.set(key, validate);
    }
    return validate(body) ? { operationId, problems: [] } : { operationId, problems: (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''}`.trim()) };
  }
}

/** `#/components/…` references made to point into the registered document. */
function rebase(schema: unknown): Json {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `settle-openapi${v}` : walk(v)]));
  };
  return walk(schema) as Json;
}
