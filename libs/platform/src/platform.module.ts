import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, BeforeApplicationShutdown } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { Redis } from 'ioredis';
import { HealthController } from './health/health.controller';
import { HealthRegistry } from './health/health-registry';
import { PrintableInputPipe } from './http/printable-input.pipe';
import { Logger } from './logging/logger';
import { MetricsController, MetricsRegistry } from './metrics/metrics';
import { createRedis, redisHealthIndicator } from './redis/redis';
import { JobWorkers } from './jobs/job-providers';
import { LOGGER, REDIS, SERVICE_CONFIG, SERVICE_NAME } from './tokens';
import { CommonConfig } from './config/config';

export interface PlatformModuleOptions {
  service: string;
  config: CommonConfig;
  logger: Logger;
}

/**
 * What every Settle service has: its validated configuration, the JSON logger, Redis, health
 * and metrics endpoints. Global, so feature modules just inject the tokens.
 */
@Global()
@Module({})
export class PlatformModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly health: HealthRegistry,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  static forRoot(options: PlatformModuleOptions): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_NAME, useValue: options.service },
        // Every route's parameters, query and body, before any handler sees them.
        { provide: APP_PIPE, useClass: PrintableInputPipe },
        { provide: SERVICE_CONFIG, useValue: options.config },
        { provide: LOGGER, useValue: options.logger },
        { provide: MetricsRegistry, useValue: new MetricsRegistry(options.service) },
        JobWorkers,
        {
          provide: HealthRegistry,
          useFactory: () => new HealthRegistry(),
        },
        {
          provide: REDIS,
          inject: [HealthRegistry],
          useFactory: (health: HealthRegistry) => {
            const redis = createRedis(options.config.REDIS_URL);
            redis.on('error', (err) => options.logger.warn({ err: err.message }, 'redis connection error'));
            health.register(redisHealthIndicator(redis));
            return redis;
          },
        },
      ],
      exports: [SERVICE_NAME, SERVICE_CONFIG, LOGGER, MetricsRegistry, HealthRegistry, REDIS, JobWorkers],
    };
  }

  beforeApplicationShutdown(signal?: string): void {
    this.health.markDraining();
    this.logger.info({ signal }, 'shutting down');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
