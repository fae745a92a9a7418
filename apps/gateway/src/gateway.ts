import { DynamicModule, INestApplication } from '@nestjs/common';
import { ConfigError, PlatformModule, createLogger, createServiceApp, exitOnStartupFailure, loadConfig } from '@settle/platform';
import { NotFoundError } from '@settle/contracts';
import type { NextFunction, Request, Response } from 'express';
import { GatewayConfig, GatewayConfigSchema } from './config';
import { GatewayMiddleware } from './gateway.middleware';
import { GatewayModule } from './gateway.module';
import { parseRequestTarget } from './routing/request-target';
import { upstreamUrls } from './routing/route-table';
import { ApiDocsPage, ApiDocument } from './api-docs/api-docs';

const SERVICE = 'gateway';

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig(SERVICE, GatewayConfigSchema, { PORT: '8080', ...env });
}

/**
 * Builds the gateway: its own health on the public port, the API document (`/openapi.json`) and its
 * page (`/docs`), everything else through the middleware.
 * `/metrics` is not on the public port (METRICS_PORT serves it), `/internal/*` is never routed.
 */
export async function createGatewayApp(config: GatewayConfig): Promise<INestApplication> {
  const logger = createLogger(SERVICE, config.LOG_LEVEL);
  const root: DynamicModule = {
    module: class GatewayRootModule {},
    imports: [PlatformModule.forRoot({ service: SERVICE, config, logger }), GatewayModule],
  };
  const app = await createServiceApp({ module: root, logger, body: 'raw', bodyLimit: config.MAX_BODY_BYTES });
  const middleware = app.get(GatewayMiddleware);
  const apiDocument = new ApiDocument(upstreamUrls(config), logger);
  const docsPage = new ApiDocsPage();
  app.use((req: Request, res: Response, next: NextFunction) => {
    // Checked before anything else answers, so no path means one thing here and another upstream.
    let path: string;
    try {
      path = parseRequestTarget(req.originalUrl).path;
    } catch (error) {
      return next(error);
    }
    if (path.startsWith('/health/')) return next();
    if (path === '/openapi.json' || path === '/docs' || path.startsWith('/docs/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next(new NotFoundError(`No such resource: ${req.method} ${path}`));
      if (path !== '/openapi.json') return docsPage.serve(path, res) ? undefined : next(new NotFoundError(`No such resource: ${req.method} ${path}`));
      return void apiDocument.get().then((document) => res.setHeader('Cache-Control', 'no-cache').json(document), next);
    }
    if (path === '/metrics' || path.startsWith('/metrics/')) return next(new NotFoundError(`No such resource: ${req.method} ${path}`));
    void middleware.use(req, res, next);
  });
  return app;
}

export async function main(): Promise<void> {
  try {
    const config = loadGatewayConfig();
    const app = await createGatewayApp(config);
    await app.listen(config.PORT, config.HOST);
  } catch (error) {
    exitOnStartupFailure(SERVICE)(error instanceof ConfigError ? new Error(error.message) : error);
  }
}
