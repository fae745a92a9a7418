import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ErrorCodes } from '@settle/contracts';
import type { NextFunction, Request, Response } from 'express';
import { correlationMiddleware, CORRELATION_HEADER } from '../http/correlation.middleware';
import { ApiExceptionFilter } from '../http/api-exception.filter';
import { ApiContractCheck, ApiContractInterceptor } from '../http/api-contract.interceptor';
import { Logger, NestPinoLogger } from '../logging/logger';
import { MetricsRegistry } from '../metrics/metrics';

export interface StartOptions {
  module: Type<unknown> | ReturnType<() => unknown>;
  logger: Logger;
  host: string;
  port: number;
  /** Largest accepted request body in bytes; a larger one is answered 413 CBC.0100. */
  bodyLimit?: number;
  /** `raw` keeps the exact bytes (the gateway verifies signatures over them and forwards them). */
  body?: 'json' | 'raw';
  /** Whether answers are checked against their routes' declared contracts (see ApiContractInterceptor); `off` by default. */
  contractCheck?: ApiContractCheck;
}

/** The header the provider's SDKs read as the request id (`request id …` in their errors); same value as x-correlation-id. */
export const REQUEST_ID_HEADER = 'x-request-id';

const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

/**
 * Creates a Nest HTTP app with the platform's middleware, error mapping and shutdown hooks.
 * Services keep the raw body bytes beside the parsed JSON (`req.rawBody`): the gateway's proof
 * covers a digest of exactly those bytes.
 */
export async function createServiceApp(options: Omit<StartOptions, 'host' | 'port'>): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(options.module as Type<unknown>, {
    logger: new NestPinoLogger(options.logger),
    bodyParser: false,
    rawBody: true,
  });
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  app.use(correlationMiddleware);
  app.use(requestIdMiddleware);
  app.use(app.get(MetricsRegistry).httpMiddleware());
  if (options.body === 'raw') {
    app.useBodyParser('raw', { type: () => true, limit });
  } else {
    app.useBodyParser('json', { type: isJson, limit });
    // Any other media type is kept as bytes, so its digest still matches the gateway's proof
    // (and the route's validation answers 400 rather than the proof a confusing 403).
    app.useBodyParser('raw', { type: (req: Request) => !isJson(req), limit });
  }
  app.use(bodyParserErrors(options.logger, limit));
  app.useGlobalFilters(new ApiExceptionFilter(options.logger));
  if (options.contractCheck && options.contractCheck !== 'off') app.useGlobalInterceptors(new ApiContractInterceptor(options.contractCheck, options.logger));
  app.enableShutdownHooks();
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  return app;
}

function requestIdMiddleware(_req: Request, res: Response, next: NextFunction): void {
  const correlationId = res.getHeader(CORRELATION_HEADER);
  if (typeof correlationId === 'string') res.setHeader(REQUEST_ID_HEADER, correlationId);
  next();
}

function isJson(req: Request): boolean {
  const mediaType = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

interface BodyParserError {
  status?: number;
  type?: string;
}

/**
 * Body-parser failures are the caller's: they are answered here, in the error shape, because they
 * happen before Nest's exception filter is in the path (an Express error would answer HTML).
 */
function bodyParserErrors(logger: Logger, limit: number) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    const failure = error as BodyParserError;
    if (res.headersSent || typeof failure?.type !== 'string' || typeof failure.status !== 'number' || failure.status >= 500) return next(error);
    const answer = bodyParserAnswer(failure, limit);
    logger.info({ method: req.method, path: req.path, status: answer.status, error_code: answer.body.error_code }, answer.body.error_msg);
    // The rest of an oversized upload is not read; closing keeps the socket from carrying it into the next request.
    if (answer.status === 413) res.setHeader('Connection', 'close');
    res.status(answer.status).json(answer.body);
  };
}

function bodyParserAnswer(failure: BodyParserError, limit: number): { status: number; body: { error_code: string; error_msg: string } } {
  switch (failure.type) {
    case 'entity.too.large':
      return { status: 413, body: { error_code: ErrorCodes.BadParameter, error_msg: `The request body is larger than the limit of ${limit} bytes.` } };
    case 'entity.parse.failed':
      return { status: 400, body: { error_code: ErrorCodes.BadParameter, error_msg: 'Request body is not valid JSON.' } };
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return { status: 415, body: { error_code: ErrorCodes.BadParameter, error_msg: 'The request body uses an unsupported charset or content encoding; send UTF-8 JSON, uncompressed.' } };
    default:
      return { status: failure.status ?? 400, body: { error_code: ErrorCodes.BadParameter, error_msg: 'The request body could not be read.' } };
  }
}

/**
 * Starts a service and keeps it honest about failure: a start-up error is printed clearly and
 * the process exits non-zero, instead of lingering half-started.
 */
export async function startService(options: StartOptions): Promise<INestApplication> {
  const app = await createServiceApp(options);
  await app.listen(options.port, options.host);
  options.logger.info({ url: `http://${options.host}:${options.port}` }, 'listening');
  return app;
}

export function exitOnStartupFailure(service: string) {
  return (error: unknown): never => {
    process.stderr.write(`${service} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  };
}
