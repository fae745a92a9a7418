import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';

/** A parsed JSON body as tests read it: any shape, checked by the test's own assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

export interface PartnerCredentials {
  access_key: string;
  secret_key: string;
}

export interface CallOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
}

/** `X-Sdk-Date` as the provider's SDKs write it: 20261122T101500Z. */
export function sdkDate(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function queryString(query: CallOptions['query']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) out[k] = String(v);
  return out;
}

async function parse(res: Response): Promise<ApiResponse> {
  const text = await res.text();
  let body: unknown = text;
  if (text && (res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
  else if (!text) body = undefined;
  return { status: res.status, body, headers: res.headers };
}

/**
 * Calls the platform through its one base URL the way its users do: partners sign every request
 * with the provider's **official** Node SDK core signer (AKSKSigner), operators present a bearer
 * token. Tests use this, never a private shortcut into a service.
 */
export class GatewayClient {
  constructor(readonly baseUrl: string) {}

  /** A partner's client: every request signed SDK-HMAC-SHA256 with its AK/SK. */
  partner(credentials: PartnerCredentials): (method: string, path: string, options?: CallOptions) => Promise<ApiResponse> {
    return async (method, path, options = {}) => {
      const query = queryString(options.query);
      const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
      const request = {
        method,
        endpoint: `${this.baseUrl}${path}`,
        headers: { 'Content-Type': 'application/json', 'X-Sdk-Date': sdkDate(), ...options.headers },
        queryParams: query,
        data: options.body,
      };
      const signed = AKSKSigner.sign(request as never, new BasicCredentials().withAk(credentials.access_key).withSk(credentials.secret_key)) as Record<string, string>;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(signed)) if (!k.startsWith(':')) headers[k] = String(v);
      const url = new URL(`${this.baseUrl}${path}`);
      for (const [k, v] of Object.entries(query)) url.searchParams.append(k, v);
      return parse(await fetch(url, { method, headers, body: payload }));
    };
  }

  /** An operator's client (bearer token), or an anonymous one without a token. */
  operator(token?: string): (method: string, path: string, options?: CallOptions) => Promise<ApiResponse> {
    return async (method, path, options = {}) => {
      const url = new URL(`${this.baseUrl}${path}`);
      for (const [k, v] of Object.entries(queryString(options.query))) url.searchParams.append(k, v);
      const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
      if (token) headers.authorization = `Bearer ${token}`;
      return parse(await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) }));
    };
  }
}
