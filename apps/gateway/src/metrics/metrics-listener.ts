import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, Logger, MetricsRegistry, SERVICE_CONFIG } from '@settle/platform';
import { Server, createServer } from 'node:http';
import { once } from 'node:events';
import { GatewayConfig } from '../config';

/**
 * The gateway's Prometheus metrics on their own listener (METRICS_HOST:METRICS_PORT), so the
 * public port, which faces partners, answers /metrics with 404. Without METRICS_PORT there is none.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    private readonly metrics: MetricsRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.METRICS_PORT === undefined) return;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 'CBC.0101', error_msg: 'Only GET /metrics is served here.' }));
        return;
      }
      this.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text),
        (err: unknown) => {
          this.logger.error({ err }, 'metrics scrape failed');
          res.writeHead(500).end();
        },
      );
    });
    server.listen(this.config.METRICS_PORT, this.config.METRICS_HOST);
    await once(server, 'listening');
    this.server = server;
    this.logger.info({ url: `http://${this.config.METRICS_HOST}:${this.config.METRICS_PORT}/metrics` }, 'metrics listening');
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
