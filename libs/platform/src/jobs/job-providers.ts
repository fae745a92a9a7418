import { Inject, Injectable, OnModuleDestroy, Provider } from '@nestjs/common';
import { JobDefinition } from '@settle/contracts';
import { Queue, Worker } from 'bullmq';
import { Gauge, Histogram } from 'prom-client';
import { BackendConfig } from '../config/config';
import { Logger } from '../logging/logger';
import { MetricsRegistry } from '../metrics/metrics';
import { redisOptionsFromUrl } from '../redis/redis';
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
  /** Read-only handles on the queues this service works, for the depth gauge. */
  private readonly queues = new Map<string, Queue>();
  private readonly duration: Histogram<'queue' | 'job' | 'outcome'>;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: BackendConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: MetricsRegistry,
  ) {
    this.duration = metrics.histogram('settle_job_duration_seconds', 'BullMQ job run time, by outcome', ['queue', 'job', 'outcome'], [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300]);
    const queues = this.queues;
    metrics.registry.removeSingleMetric('settle_queue_jobs');
    new Gauge({
      name: 'settle_queue_jobs',
      help: 'Jobs per state in the queues this service works',
      labelNames: ['queue', 'state'],
      registers: [metrics.registry],
      async collect() {
        for (const [name, queue] of queues) {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'paused').catch(() => undefined);
          for (const [state, count] of Object.entries(counts ?? {})) this.set({ queue: name, state }, count);
        }
      },
    });
  }

  start<D extends JobDefinition>(definitions: D[], handlers: { [K in D['name']]: JobHandler<Extract<D, { name: K }>> }, options: JobWorkerOptions): Worker {
    const worker = createJobWorker(definitions, handlers, connectionOf(this.config), this.logger.child({ component: options.component }), {
      concurrency: options.concurrency,
      lockDurationMs: options.lockDurationMs,
    });
    this.workers.push(worker);
    const queue = definitions[0].queue;
    const observe = (outcome: 'completed' | 'failed') => (job: { name: string; processedOn?: number; finishedOn?: number } | undefined) => {
      if (job?.processedOn && job.finishedOn) this.duration.observe({ queue, job: job.name, outcome }, (job.finishedOn - job.processedOn) / 1000);
    };
    worker.on('completed', observe('completed'));
    worker.on('failed', observe('failed'));
    if (!this.queues.has(queue)) this.queues.set(queue, new Queue(queue, { connection: redisOptionsFromUrl(this.config.REDIS_URL, true), prefix: this.config.REDIS_PREFIX }));
    return worker;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
