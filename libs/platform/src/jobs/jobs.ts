import { currentTraceparent, inSpan } from '@settle/tracing';
import { JobDefinition, JobMeta } from '@settle/contracts';
import { Job, JobsOptions, Queue, UnrecoverableError, Worker } from 'bullmq';
import { z } from 'zod';
import { currentCorrelationId, newCorrelationId, runWithContext } from '../context/request-context';
import { describeZodError } from '../http/validation';
import { Logger } from '../logging/logger';
import { redisOptionsFromUrl } from '../redis/redis';

/** What a job carries in Redis: the validated payload plus who caused it. */
export interface JobEnvelope<T> {
  data: T;
  meta: JobMeta;
}

/**
 * Retries belong to the transport: every job gets backoff and a bounded number of attempts.
 * Failed jobs are kept (for the operator's inspect-and-replay), completed ones are trimmed.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export class InvalidJobPayloadError extends Error {}

export interface QueueConnection {
  redisUrl: string;
  /** Redis key prefix of this deployment (`REDIS_PREFIX`), so test runs never share queues. */
  prefix: string;
}

/** A typed producer for one job definition: payloads are validated before they reach Redis. */
export class JobQueue<D extends JobDefinition> {
  readonly queue: Queue;

  constructor(
    readonly definition: D,
    connection: QueueConnection,
  ) {
    this.queue = new Queue(definition.queue, {
      connection: redisOptionsFromUrl(connection.redisUrl, true),
      prefix: connection.prefix,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    });
  }

  /**
   * Enqueues a job. `jobId` makes it idempotent: enqueueing the same id twice (a retried request,
   * a re-run scheduler) leaves one job. BullMQ reserves ':' in custom ids, so build them with '-'
   * (`partner-cycle`); an id containing ':' is refused here with a clear error.
   */
  async enqueue(data: z.input<D['schema']>, options: { jobId: string } & Omit<JobsOptions, 'jobId'>): Promise<Job> {
    if (!options.jobId || options.jobId.includes(':')) {
      throw new InvalidJobPayloadError(`${this.definition.queue}/${this.definition.name}: jobId '${options.jobId}' must be non-empty and must not contain ':'`);
    }
    const parsed = this.definition.schema.safeParse(data);
    if (!parsed.success) {
      throw new InvalidJobPayloadError(`${this.definition.queue}/${this.definition.name}: ${describeZodError(parsed.error)}`);
    }
    const envelope: JobEnvelope<z.infer<D['schema']>> = {
      data: parsed.data as z.infer<D['schema']>,
      meta: { version: this.definition.version, correlationId: currentCorrelationId(), traceparent: currentTraceparent() },
    };
    return this.queue.add(this.definition.name, envelope, options);
  }

  /**
   * Runs the job every `everyMs`, or on a cron `pattern` in a time zone (a BullMQ job scheduler). Upserting with the same id from every
   * instance of a service leaves one schedule; the payload is validated like any other job.
   */
  async schedule(schedulerId: string, everyMs: number | { pattern: string; tz: string }, data: z.input<D['schema']>): Promise<void> {
    const parsed = this.definition.schema.safeParse(data);
    if (!parsed.success) {
      throw new InvalidJobPayloadError(`${this.definition.queue}/${this.definition.name}: ${describeZodError(parsed.error)}`);
    }
    const envelope: JobEnvelope<z.infer<D['schema']>> = { data: parsed.data as z.infer<D['schema']>, meta: { version: this.definition.version } };
    const repeat = typeof everyMs === 'number' ? { every: everyMs } : { pattern: everyMs.pattern, tz: everyMs.tz };
    await this.queue.upsertJobScheduler(schedulerId, repeat, { name: this.definition.name, data: envelope });
  }

  close(): Promise<void> {
    return this.queue.close();
  }

  /** A queue provided by `provideJobQueues` closes with its module. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}

export type JobHandler<D extends JobDefinition> = (data: z.infer<D['schema']>, job: Job) => Promise<unknown>;

/**
 * A typed worker for one queue. A payload that does not match its definition fails the job
 * without retry (retrying cannot fix it) and stays in the failed set for an operator.
 * `close()` waits for jobs in flight, so a graceful shutdown never abandons one half-done.
 */
export function createJobWorker<D extends JobDefinition>(
  definitions: D[],
  handlers: { [K in D['name']]: JobHandler<Extract<D, { name: K }>> },
  connection: QueueConnection,
  logger: Logger,
  /**
   * `lockDurationMs`: how long a job stays claimed by a worker that stopped answering (killed)
   * before another worker takes it over (BullMQ's stalled-job check); default 30 s.
   */
  options: { concurrency?: number; lockDurationMs?: number } = {},
): Worker {
  const queueName = definitions[0]?.queue;
  if (!queueName || definitions.some((d) => d.queue !== queueName)) {
    throw new Error('createJobWorker: all definitions must belong to one queue');
  }
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const worker = new Worker(
    queueName,
    async (job: Job) => {
      const envelope = job.data as Partial<JobEnvelope<unknown>>;
      const correlationId = envelope.meta?.correlationId ?? newCorrelationId();
      return runWithContext({ correlationId }, async () => {
        const definition = byName.get(job.name);
        if (!definition) throw new UnrecoverableError(`no handler for job ${job.name} on ${queueName}`);
        const parsed = definition.schema.safeParse(envelope.data);
        if (!parsed.success) throw new UnrecoverableError(`${queueName}/${job.name}: ${describeZodError(parsed.error)}`);
        const handler = (handlers as Record<string, JobHandler<D>>)[job.name];
        logger.debug({ queue: queueName, job: job.name, job_id: job.id, attempt: job.attemptsMade + 1 }, 'job started');
        // A span per attempt, child of the work that enqueued the job.
        return inSpan(`job ${queueName}/${job.name}`, 'consumer', envelope.meta?.traceparent, { 'messaging.system': 'bullmq', 'messaging.destination.name': queueName, 'messaging.message.id': String(job.id), attempt: job.attemptsMade + 1 }, () =>
          handler(parsed.data as z.infer<D['schema']>, job),
        );
      });
    },
    {
      connection: redisOptionsFromUrl(connection.redisUrl, true),
      prefix: connection.prefix,
      concurrency: options.concurrency ?? 1,
      ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs } : {}),
    },
  );
  worker.on('failed', (job, err) =>
    logger.warn({ queue: queueName, job: job?.name, job_id: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'),
  );
  worker.on('error', (err) => logger.error({ queue: queueName, err: err.message }, 'worker error'));
  return worker;
}
