import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { INestApplication, Module } from '@nestjs/common';
import { Queues } from '@settle/contracts';
import { ConfigError, PlatformModule, createLogger, createServiceApp, exitOnStartupFailure, loadConfig, redisOptionsFromUrl } from '@settle/platform';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { DashboardConfig, DashboardConfigSchema } from './config';
import { OperatorSession, loginPage } from './operator-session';

const SERVICE = 'queue-dashboard';
/** Where the board is served; the sign-in page and the session cookie live under it too. */
export const BASE_PATH = '/queues';

export function loadDashboardConfig(env: NodeJS.ProcessEnv = process.env): DashboardConfig {
  return loadConfig(SERVICE, DashboardConfigSchema, { PORT: '8090', ...env });
}

@Module({})
class DashboardModule {}

/**
 * Bull Board over every queue of every service (the frozen names in `Queues`), behind operator
 * authentication. It reads and changes the queues in Redis directly, as the workers see them:
 * retrying a failed job here is the same as `settle queues retry`.
 */
export async function createDashboardApp(config: DashboardConfig): Promise<{ app: INestApplication; queues: Queue[] }> {
  const logger = createLogger(SERVICE, config.LOG_LEVEL);
  const app = await createServiceApp({ module: { module: DashboardModule, imports: [PlatformModule.forRoot({ service: SERVICE, config, logger })] }, logger, body: 'raw' });
  const queues = Object.values(Queues).map((name) => new Queue(name, { connection: redisOptionsFromUrl(config.REDIS_URL, true), prefix: config.REDIS_PREFIX }));
  const board = new ExpressAdapter();
  board.setBasePath(BASE_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: board, options: { uiConfig: { boardTitle: 'Settle queues' } } });
  const session = new OperatorSession(config.OPERATOR_TOKEN_SECRET, config.DASHBOARD_SECURE_COOKIE, logger.child({ component: 'dashboard-auth' }), BASE_PATH);
  const express = app.getHttpAdapter().getInstance();
  express.get(`${BASE_PATH}/login`, (_req: Request, res: Response) => void res.type('html').send(loginPage(BASE_PATH)));
  express.post(`${BASE_PATH}/login`, session.login);
  express.post(`${BASE_PATH}/logout`, session.logout);
  express.use(BASE_PATH, session.guard, board.getRouter());
  express.get('/', (_req: Request, res: Response, next: NextFunction) => (res.headersSent ? next() : res.redirect(303, `${BASE_PATH}/`)));
  const close = app.close.bind(app);
  app.close = async () => {
    await close();
    await Promise.all(queues.map((q) => q.close()));
  };
  return { app, queues };
}

export async function main(): Promise<void> {
  try {
    const config = loadDashboardConfig();
    const { app } = await createDashboardApp(config);
    await app.listen(config.PORT, config.HOST);
  } catch (error) {
    exitOnStartupFailure(SERVICE)(error instanceof ConfigError ? new Error(error.message) : error);
  }
}
