import { Inject, Injectable, OnModuleDestroy, Provider } from '@nestjs/common';
import { JobDefinition } from '@settle/contracts';
import { Worker } from 'bullmq';
import { BackendConfig } from '../config/config';
import { Logger } from '../logging/logger';
import { LOGGER, SERVICE_CONFIG } from '../tokens';
import { JobHandler, JobQueue, QueueConnection, createJobWorker } from './jobs';

const connectionOf = (config: BackendConfig): QueueConnection => ({ redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX });

/** The injection token of one job definition's typed queue. */
export function jobQueueToken(definition: JobDefinition): string {
  return `settle.job-queue:${definition.queue}:${definition.name}`;
}

/** Injects the typed queue of a job definition (provided by `provideJobQueues`). */
export const InjectJobQueue = (definition: JobDefinition): ParameterDecorator => Inject(jobQueueToken(definition));

/**
 * Providers of typed queues, one per job definition, built from the service's configuration when
 * the module is created (so a service that enqueues has its queue from its constructor on) and
 * closed with the module.
 */
export function provideJobQueues(...definitions: JobDefinition[]): Provider[] {
  return definitions.map((definition) => ({
    provide: jobQueueToken(definition),
    inject: [SERVICE_CONFIG],
    useFactory: (config: BackendConfig) => new JobQueue(definition, connectionOf(config)),
  }));
}

export interface JobWorkerOptions {
  /** Names the worker's log lines. */
  component: string;
  concurrency?: number;
  lockDurationMs?: number;
}

/**
 * Starts the workers of a service and closes them on shutdown (each `close` waits for its jobs in
 * flight). The one place a service's workers are created.
 */
@Injectable()
export class JobWorkers implements OnModuleDestroy {
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: BackendConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  start<D extends JobDefinition>(definitions: D[], handlers: { [K in D['name']]: JobHandler<Extract<D, { name: K }>> }, options: JobWorkerOptions): Worker {
    const worker = createJobWorker(definitions, handlers, connectionOf(this.config), this.logger.child({ component: options.component }), {
      concurrency: options.concurrency,
      lockDurationMs: options.lockDurationMs,
    });
    this.workers.push(worker);
    return worker;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.close()));
  }
}
