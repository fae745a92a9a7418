import { Principal, signPrincipal } from '@settle/auth';
import { ApiError, ErrorCodes } from '@settle/contracts';
import { CORRELATION_HEADER } from '@settle/platform';
import { request as httpRequest, IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Response } from 'express';

/** Hop-by-hop headers and the caller's credentials never cross the gateway. */
const DROPPED_REQUEST_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'authorization',
  'content-length',
  'x-settle-principal',
  'x-settle-principal-signature',
]);
const DROPPED_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding']);

export interface ForwardRequest {
  method: string;
  /** Path and query as the client sent them. */
  url: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  principal: Principal;
  correlationId: string;
}

export class UpstreamUnavailableError extends ApiError {
  constructor(
    readonly service: string,
    readonly reason: Error,
  ) {
    super(503, ErrorCodes.Internal, `${service} is unavailable; try again later.`);
  }
}

/** Forwards a request to a service with the gateway's signed proof of who the caller is. */
export function forward(baseUrl: string, service: string, request: ForwardRequest, response: Response, internalSecret: string): Promise<void> {
  const target = new URL(request.url, baseUrl);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && !DROPPED_REQUEST_HEADERS.has(name)) headers[name] = value;
  }
  Object.assign(headers, signPrincipal(request.principal, { method: request.method, path: request.path }, internalSecret), {
    [CORRELATION_HEADER]: request.correlationId,
    'content-length': String(request.body.length),
  });
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const upstream = send(target, { method: request.method, headers, timeout: 60_000 }, (answer) => {
      const outHeaders: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && !DROPPED_RESPONSE_HEADERS.has(name)) outHeaders[name] = value;
      }
      response.writeHead(answer.statusCode ?? 502, outHeaders);
      answer.pipe(response);
      answer.on('end', resolve);
      answer.on('error', reject);
    });
    upstream.on('timeout', () => upstream.destroy(new Error(`${service} did not answer in time`)));
    upstream.on('error', (error) => reject(new UpstreamUnavailableError(service, error)));
    upstream.end(request.body);
  });
}
