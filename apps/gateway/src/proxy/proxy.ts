import { Principal, StoredAnswer, signPrincipal } from '@settle/auth';
import { ApiError, ErrorCodes } from '@settle/contracts';
import { CORRELATION_HEADER, REQUEST_ID_HEADER } from '@settle/platform';
import { ClientRequest, IncomingHttpHeaders, IncomingMessage, request as httpRequest } from 'node:http';
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
/** The request's ids are the gateway's own (set on every response before it is forwarded). */
const DROPPED_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', CORRELATION_HEADER, REQUEST_ID_HEADER]);
/** Errors raised before a byte could reach the service: the request certainly did not apply. */
const NOT_DELIVERED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const UPSTREAM_TIMEOUT_MS = 60_000;

export interface ForwardRequest {
  method: string;
  /** The path exactly as routed (never normalised: what was checked and routed is what is sent). */
  path: string;
  /** The query string as the client sent it, without `?`. */
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  principal: Principal;
  correlationId: string;
}

export class UpstreamUnavailableError extends ApiError {
  constructor(
    readonly service: string,
    readonly reason: Error,
    /** False only when the request certainly never reached the service (connection refused, no such host). */
    readonly mayHaveReached: boolean,
  ) {
    super(503, ErrorCodes.Internal, `${service} is unavailable; try again later.`);
  }
}

/** Forwards a request to a service with the gateway's signed proof, streaming the answer to the client. */
export function forward(baseUrl: string, service: string, request: ForwardRequest, response: Response, internalSecret: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const upstream = send(baseUrl, service, request, internalSecret, reject, (answer) => {
      response.writeHead(answer.statusCode ?? 502, responseHeaders(answer));
      answer.pipe(response);
      answer.on('end', resolve);
      answer.on('error', reject);
    });
    upstream.end(request.body);
  });
}

/** Forwards a request and reads the whole answer before anything reaches the client (a mutation's answer is recorded for repeats). */
export function exchange(baseUrl: string, service: string, request: ForwardRequest, internalSecret: string): Promise<StoredAnswer> {
  return new Promise((resolve, reject) => {
    const upstream = send(baseUrl, service, request, internalSecret, reject, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: responseHeaders(answer), body: Buffer.concat(chunks).toString('base64') }));
      answer.on('error', (error) => reject(new UpstreamUnavailableError(service, error, true)));
    });
    upstream.end(request.body);
  });
}

function send(baseUrl: string, service: string, request: ForwardRequest, internalSecret: string, reject: (error: Error) => void, onAnswer: (answer: IncomingMessage) => void): ClientRequest {
  const base = new URL(baseUrl);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && !DROPPED_REQUEST_HEADERS.has(name)) headers[name] = value;
  }
  const path = `${base.pathname.replace(/\/$/, '')}${request.path}`;
  Object.assign(headers, signPrincipal(request.principal, { method: request.method, path, query: request.query, body: request.body }, internalSecret), {
    [CORRELATION_HEADER]: request.correlationId,
    'content-length': String(request.body.length),
  });
  const requestTarget = request.query ? `${path}?${request.query}` : path;
  // `path` is sent as given: no URL parsing here, so dot-segments cannot be collapsed after routing.
  const options = { protocol: base.protocol, hostname: base.hostname, port: base.port, path: requestTarget, method: request.method, headers, timeout: UPSTREAM_TIMEOUT_MS };
  const upstream = (base.protocol === 'https:' ? httpsRequest : httpRequest)(options, onAnswer);
  upstream.on('timeout', () => upstream.destroy(new Error(`${service} did not answer in time`)));
  upstream.on('error', (error: NodeJS.ErrnoException) => reject(new UpstreamUnavailableError(service, error, !NOT_DELIVERED.has(error.code ?? ''))));
  return upstream;
}

function responseHeaders(answer: IncomingMessage): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined && !DROPPED_RESPONSE_HEADERS.has(name)) out[name] = value;
  }
  return out;
}
