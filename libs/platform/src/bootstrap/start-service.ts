import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiExceptionFilter } from '../http/api-exception.filter';
import { correlationMiddleware } from '../http/correlation.middleware';
import { Logger, NestPinoLogger } from '../logging/logger';
import { MetricsRegistry } from '../metrics/metrics';

export interface StartOptions {
  module: Type<unknown> | ReturnType<() => unknown>;
  logger: Logger;
  host: string;
  port: number;
  /** Largest accepted request body; the gateway forwards at most this much. */
  bodyLimit?: string | number;
  /** `raw` keeps the exact bytes (the gateway verifies signatures over them and forwards them). */
  body?: 'json' | 'raw';
}

/** Creates a Nest HTTP app with the platform's middleware, error mapping and shutdown hooks. */
export async function createServiceApp(options: Omit<StartOptions, 'host' | 'port'>): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(options.module as Type<unknown>, {
    logger: new NestPinoLogger(options.logger),
    bodyParser: false,
  });
  app.use(correlationMiddleware);
  app.use(app.get(MetricsRegistry).httpMiddleware());
  if (options.body === 'raw') app.useBodyParser('raw', { type: () => true, limit: options.bodyLimit ?? '10mb' });
  else app.useBodyParser('json', { limit: options.bodyLimit ?? '10mb' });
  app.useGlobalFilters(new ApiExceptionFilter(options.logger));
  app.enableShutdownHooks();
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  return app;
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
