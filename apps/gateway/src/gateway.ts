import { DynamicModule, INestApplication } from '@nestjs/common';
import { ConfigError, PlatformModule, createLogger, createServiceApp, exitOnStartupFailure, loadConfig } from '@settle/platform';
import type { NextFunction, Request, Response } from 'express';
import { GatewayConfig, GatewayConfigSchema } from './config';
import { GatewayMiddleware } from './gateway.middleware';
import { GatewayModule } from './gateway.module';

const SERVICE = 'gateway';

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig(SERVICE, GatewayConfigSchema, { PORT: '8080', ...env });
}

/** Builds the gateway: its own health and metrics, everything else goes through the middleware. */
export async function createGatewayApp(config: GatewayConfig): Promise<INestApplication> {
  const logger = createLogger(SERVICE, config.LOG_LEVEL);
  const root: DynamicModule = {
    module: class GatewayRootModule {},
    imports: [PlatformModule.forRoot({ service: SERVICE, config, logger }), GatewayModule],
  };
  const app = await createServiceApp({ module: root, logger, body: 'raw', bodyLimit: config.MAX_BODY_BYTES });
  const middleware = app.get(GatewayMiddleware);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/health/') || req.path === '/metrics') return next();
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
