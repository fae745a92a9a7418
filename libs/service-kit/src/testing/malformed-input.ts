import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC, REQUIRES, issueOperatorToken, signPrincipal, signRequest } from '@settle/auth';
import { PartnerCredentials } from '@settle/testing';
import { ServiceStack } from './service-stack';

/** One route of the running app, and whom it answers. */
export interface LiveRoute {
  method: string;
  /** Nest's pattern, e.g. `/operator/partners/:partner_id`. */
  path: string;
  /** `partner`, `operator`, `service` (only platform services, e.g. `/internal/*`), `public`. */
  audience: string;
}

/** Every route the running app serves, read from the metadata of the controllers it instantiated. */
export function liveRoutes(app: INestApplication): LiveRoute[] {
  const routes = new Map<string, LiveRoute>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: unknown[]) => unknown) | undefined;
      if (!controller?.prototype) continue;
      const bases = [Reflect.getMetadata(PATH_METADATA, controller) ?? '/'].flat() as string[];
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const requirement = (Reflect.getMetadata(REQUIRES, handler) ?? Reflect.getMetadata(REQUIRES, controller)) as { kind?: string } | undefined;
        const isPublic = (Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller)) === true;
        for (const base of bases) {
          for (const sub of [Reflect.getMetadata(PATH_METADATA, handler) ?? '/'].flat() as string[]) {
            const path = `/${[base, sub].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
            // An undeclared route is answered by nobody but the platform: treat it as a service route.
            const audience = isPublic ? 'public' : path.startsWith('/internal/') ? 'service' : (requirement?.kind ?? 'service');
            routes.set(`${RequestMethod[method]} ${path}`, { method: RequestMethod[method], path, audience });
          }
        }
      }
    }
  }
  return [...routes.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** A request as a careless or hostile caller sends it. */
export interface MalformedRequest {
  label: string;
  /** Path and query as sent on the wire. */
  url: string;
  /** Raw body bytes (may be invalid JSON). */
  body?: string;
}

/** Path parameters that are not what the route expects. */
const BAD_IDS: Array<[string, string]> = [
  ['not-an-id', 'not-a-uuid!'],
  ['overlong', 'x'.repeat(3000)],
  ['unicode', encodeURIComponent('客户😀\u202e')],
  ['nul byte', '%00'],
  ['quote', encodeURIComponent("1' OR '1'='1")],
  ['bad percent-encoding', '%E0%A4%A'],
  ['negative number', '-1'],
];

/** Field names of the partner API and the operator API; each gets wrong types in turn. */
const FIELDS = [
  'customer_id', 'partner_id', 'indirect_partner_id', 'member_id', 'access_key', 'account_manager_id', 'xaccount_id', 'xaccount_type',
  'domain_name', 'name', 'kind', 'tier', 'role', 'mobile', 'mobile_phone', 'email', 'verification_code', 'receiver_type', 'timeout', 'lang', 'scene',
  'association_type', 'effective_from', 'status', 'offset', 'limit', 'amount', 'currency', 'bill_cycle', 'cycle', 'start_time', 'end_time',
  'from', 'to', 'begin_time', 'trade_time', 'charge_mode', 'cloud_service_type', 'service_type_code', 'resource_type_code', 'region_code',
  'measure_id', 'usage_measure_id', 'usage', 'official_amount', 'record_id', 'records', 'items', 'quota_id', 'quota_ids', 'coupon_id',
  'indirect_partner_ids', 'statement_id', 'withdrawal_id', 'export_type', 'file_format', 'filters', 'reason', 'remark', 'operation_type',
  'level', 'taxpayer_type', 'certification_status', 'parent_partner_id', 'customer_ids', 'batch_size', 'invitation_id', 'authorization_id',
];

const WRONG_VALUES: Array<[string, unknown]> = [
  ['a number for everything', 123],
  ['an object for everything', { nested: { deeper: true } }],
  ['an array for everything', [1, 'two', null]],
  ['negative and fractional numbers', -1.5],
  ['huge numbers', 1e308],
  ['nul bytes', 'a\u0000b'],
  ['unicode', '客户😀\u202e\uFFFF'],
  ['overlong strings', 'y'.repeat(20_000)],
  ['empty strings', ''],
  ['booleans', true],
  ['bad dates', '2025-13-45T25:61:61Z'],
];

const everyField = (value: unknown) => Object.fromEntries(FIELDS.map((f) => [f, value]));

function bodies(): Array<[string, string]> {
  return [
    ['invalid JSON', '{"customer_id": '],
    ['JSON null', 'null'],
    ['a JSON string', '"hello"'],
    ['a JSON number', '42'],
    ['an array for the object', '[]'],
    ['an array of objects', '[{}, {}]'],
    ['missing fields', '{}'],
    ['a prototype key', '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}'],
    ['deep nesting', `${'{"a":'.repeat(400)}1${'}'.repeat(400)}`],
    ...WRONG_VALUES.map(([label, value]): [string, string] => [`wrong types: ${label}`, JSON.stringify(everyField(value))]),
  ];
}

function queries(): Array<[string, string]> {
  const q = (pairs: Record<string, string>) => new URLSearchParams(pairs).toString();
  return [
    ['negative offset', q({ offset: '-1', limit: '10' })],
    ['huge limit', q({ offset: '0', limit: '1000000000' })],
    ['non-numeric paging', q({ offset: 'abc', limit: '1e309' })],
    ['bad dates', q({ start_time: '2025-13-45', end_time: 'yesterday', bill_cycle: '2025-99', cycle: '20251', from: '2025-02-30', to: 'x', effective_from: '-1' })],
    ['bad enums', q({ status: 'bogus', association_type: '9', charge_mode: 'free', export_type: 'x', file_format: 'pdf', role: 'king', kind: 'wizard', lang: 'xx' })],
    ['repeated keys', 'offset=1&offset=2&limit=1&limit=2&customer_id=a&customer_id=b&status=a&status=b'],
    ['bracket keys', 'offset[a]=1&limit[]=2&customer_id[]=x&filters[status]=x'],
    ['nul bytes', FIELDS.map((f) => `${f}=a%00b`).join('&')],
    ['unicode', q(everyField('客户😀\u202e') as Record<string, string>)],
    ['overlong values', FIELDS.slice(0, 12).map((f) => `${f}=${'z'.repeat(500)}`).join('&')],
    ['bad percent-encoding', 'customer_id=%E0%A4%A&offset=%ZZ'],
  ];
}

/** A path with every parameter set to a well-formed id (32 hex, as partner ids are), or one set to `bad`. */
function fill(pattern: string, bad?: { param: string; value: string }): string {
  return pattern.replace(/:([A-Za-z_]+)/g, (_, name: string) => (bad?.param === name ? bad.value : '0123456789abcdef0123456789abcdef'));
}

export function malformedRequests(route: LiveRoute): MalformedRequest[] {
  const requests: MalformedRequest[] = [];
  const params = [...route.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]);
  const hasBody = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
  for (const param of params) for (const [label, value] of BAD_IDS) requests.push({ label: `${param}: ${label}`, url: fill(route.path, { param, value }), body: hasBody ? '{}' : undefined });
  if (hasBody) for (const [label, body] of bodies()) requests.push({ label: `body: ${label}`, url: fill(route.path), body });
  for (const [label, query] of queries()) requests.push({ label: `query: ${label}`, url: `${fill(route.path)}?${query}`, body: hasBody ? '{}' : undefined });
  return requests;
}

export interface Answer {
  status: number;
  body: unknown;
}

/** Sends a raw request the way each audience reaches the service: partners signed through the gateway, operators with a token, services straight with a gateway proof. */
export function rawCaller(stack: ServiceStack, partner: PartnerCredentials, operatorToken: string, serviceUrl: string) {
  return async (route: LiveRoute, request: MalformedRequest): Promise<Answer> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    let base = stack.gatewayUrl;
    if (route.audience === 'partner') {
      headers.host = new URL(stack.gatewayUrl).host;
      Object.assign(headers, signRequest({ method: route.method, url: request.url, headers, body: request.body ?? '' }, { accessKey: partner.access_key, secretKey: partner.secret_key }));
    } else if (route.audience === 'operator') {
      headers.authorization = `Bearer ${operatorToken}`;
    } else {
      base = serviceUrl;
      const [path, query = ''] = request.url.split(/\?(.*)/s);
      const principal = { kind: 'service' as const, service: 'gateway', requestId: 'malformed-input' };
      Object.assign(headers, signPrincipal(principal, { method: route.method, path, query, body: request.body === undefined ? null : Buffer.from(request.body) }, String(stack.secrets.INTERNAL_AUTH_SECRET)));
    }
    const res = await fetch(`${base}${request.url}`, { method: route.method, headers, body: request.body });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Kept as text: the assertion reports it.
    }
    return { status: res.status, body };
  };
}

/** What is wrong with an answer to a malformed request: a 5xx, or an error not in the API's shape. */
export function faultOf(answer: Answer): string | undefined {
  if (answer.status >= 500) return `${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
  if (answer.status >= 400) {
    const b = answer.body as { error_code?: unknown; error_msg?: unknown } | undefined;
    if (typeof b?.error_code !== 'string' || typeof b?.error_msg !== 'string') return `${answer.status} without {error_code, error_msg}: ${JSON.stringify(answer.body).slice(0, 200)}`;
  }
  return undefined;
}

export interface WalkResult {
  routes: LiveRoute[];
  sent: number;
  /** Answers that broke the rule: a 5xx, or a refusal outside the error shape. */
  faults: string[];
  /** Requests refused before the service saw them (401): the walk did not test those. */
  unauthenticated: string[];
}

/**
 * Sends every malformed request of every route the stack's service serves (all but health and
 * metrics): partner routes signed with `partner`'s key, operator routes with an admin token,
 * service routes straight to the service with the gateway's proof.
 */
export async function walkMalformedInput(stack: ServiceStack, partner: PartnerCredentials): Promise<WalkResult> {
  const routes = liveRoutes(stack.app).filter((r) => r.audience !== 'public');
  const token = issueOperatorToken({ subject: 'malformed-input', roles: ['admin'], ttlSeconds: 3600 }, String(stack.secrets.OPERATOR_TOKEN_SECRET));
  const port = (stack.app.getHttpServer().address() as { port: number }).port;
  const send = rawCaller(stack, partner, token, `http://127.0.0.1:${port}`);
  const result: WalkResult = { routes, sent: 0, faults: [], unauthenticated: [] };
  for (const route of routes) {
    for (const request of malformedRequests(route)) {
      const answer = await send(route, request);
      const fault = faultOf(answer);
      result.sent += 1;
      if (fault) result.faults.push(`${route.method} ${route.path} (${route.audience}) ${request.label}: ${fault}`);
      if (answer.status === 401) result.unauthenticated.push(`${route.method} ${route.path} ${request.label}`);
    }
  }
  return result;
}
