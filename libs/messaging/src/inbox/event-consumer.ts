import { EventDefinition, SettleEvent, deadLetterTopicOf, physicalGroupId, physicalTopic } from '@settle/contracts';
import { Logger, MetricsRegistry, runWithContext, newCorrelationId } from '@settle/platform';
import { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { MalformedEventError, decodeEvent } from '../cloudevents/cloud-event.codec';

export type EventHandler<T = unknown> = (event: SettleEvent<T>, manager: EntityManager) => Promise<void>;

export interface HandlerRegistration<D extends EventDefinition = EventDefinition> {
  definition: D;
  handle: EventHandler<import('zod').infer<D['schema']>>;
}

export function on<D extends EventDefinition>(definition: D, handle: HandlerRegistration<D>['handle']): HandlerRegistration {
  return { definition, handle: handle as EventHandler };
}

export interface RetryPolicy {
  /** Tries of one event, the first included, before it goes to the dead-letter topic. */
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 200, maxBackoffMs: 5_000 };

export interface EventConsumerOptions {
  /** Logical group id from contracts; the deployment's prefix is added here. */
  groupId: string;
  handlers: HandlerRegistration[];
  topicPrefix: string;
  retry?: Partial<RetryPolicy>;
  /** Read from the beginning when the group has no committed offset (the default: no event is skipped). */
  fromBeginning?: boolean;
}

/** Headers added to a dead-lettered message, next to the original ones. */
export const DeadLetterHeaders = {
  Reason: 'x-dlt-reason',
  Error: 'x-dlt-error',
  Attempts: 'x-dlt-attempts',
  ConsumerGroup: 'x-dlt-consumer-group',
  OriginalTopic: 'x-dlt-original-topic',
  OriginalPartition: 'x-dlt-original-partition',
  OriginalOffset: 'x-dlt-original-offset',
  OriginalTimestamp: 'x-dlt-original-timestamp',
  FailedAt: 'x-dlt-failed-at',
} as const;

export type DeadLetterReason = 'malformed' | 'invalid-data' | 'handler-failed' | 'rejected';

/**
 * Thrown by a handler for an event it can never apply, whatever the retry (a business rule the
 * event breaks, not a passing fault): the transaction rolls back and the event goes to the
 * dead-letter topic at once with reason `rejected` and this message, without the retries.
 */
export class RejectedEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RejectedEventError';
  }
}

/**
 * Consumes events into this service's state, exactly once in effect:
 * - the event id is recorded in `processed_events` in the same transaction as the handler's
 *   writes, so a redelivery (rebalance, crash before commit, relay re-publish) changes nothing;
 * - a failing handler is retried with exponential backoff; after the last attempt the message
 *   goes to the topic's dead-letter topic with the reason, error, attempt count and original
 *   coordinates, and the partition moves on;
 * - a message that is not a valid CloudEvent or whose data breaks its schema is dead-lettered at
 *   once: retrying cannot fix it;
 * - event types the group does not handle are skipped.
 */
export class EventConsumer {
  private consumer?: Consumer;
  private readonly retry: RetryPolicy;
  private readonly handlers: Map<string, HandlerRegistration>;
  private readonly groupId: string;
  private readonly topics: string[];
  private readonly processed;
  private readonly deadLettered;

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly dataSource: DataSource,
    private readonly options: EventConsumerOptions,
    private readonly logger: Logger,
    metrics?: MetricsRegistry,
  ) {
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.handlers = new Map(options.handlers.map((h) => [h.definition.type, h]));
    this.groupId = physicalGroupId(options.groupId, options.topicPrefix);
    this.topics = [...new Set(options.handlers.map((h) => physicalTopic(h.definition.topic, options.topicPrefix)))];
    this.processed = metrics?.counter('settle_events_consumed_total', 'Events consumed, by outcome', ['group', 'type', 'outcome']);
    this.deadLettered = metrics?.counter('settle_events_dead_lettered_total', 'Events sent to a dead-letter topic', ['group', 'reason']);
  }

  get physicalGroupId(): string {
    return this.groupId;
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      retry: { retries: 10, initialRetryTime: 300 },
    });
    this.consumer = consumer;
    await consumer.connect();
    for (const topic of this.topics) await consumer.subscribe({ topic, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({ autoCommit: true, eachMessage: (payload) => this.handleMessage(payload) });
  }

  /** Leaves the group cleanly so its partitions move to another instance at once. */
  async stop(): Promise<void> {
    if (!this.consumer) return;
    await this.consumer.disconnect();
    this.consumer = undefined;
    this.logger.info({ group: this.groupId }, 'consumer left its group');
  }

  private async handleMessage(payload: EachMessagePayload): Promise<void> {
    const { topic, partition, message } = payload;
    let event: SettleEvent<unknown>;
    try {
      event = decodeEvent(message);
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      await this.deadLetter(payload, 'malformed', error.message, 1);
      return;
    }
    await runWithContext({ correlationId: event.correlationId ?? newCorrelationId() }, async () => {
      const registration = this.handlers.get(event.type);
      if (!registration) {
        this.processed?.inc({ group: this.options.groupId, type: event.type, outcome: 'skipped' });
        return;
      }
      const parsed = registration.definition.schema.safeParse(event.data);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`).join('; ');
        await this.deadLetter(payload, 'invalid-data', `${event.type} data does not match its schema: ${detail}`, 1);
        return;
      }
      const typed = { ...event, data: parsed.data };
      for (let attempt = 1; ; attempt++) {
        try {
          const applied = await this.applyOnce(typed, registration, topic, partition, message.offset);
          this.processed?.inc({ group: this.options.groupId, type: event.type, outcome: applied ? 'applied' : 'duplicate' });
          this.logger.info({ event_id: event.id, type: event.type, partition, offset: message.offset, attempt }, applied ? 'event applied' : 'duplicate event skipped');
          return;
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          if (error instanceof RejectedEventError) {
            this.logger.warn({ event_id: event.id, type: event.type, attempts: attempt, err: reason }, 'event rejected; dead-lettering without retry');
            await this.deadLetter(payload, 'rejected', reason, attempt);
            return;
          }
          if (attempt >= this.retry.maxAttempts) {
            this.logger.error({ event_id: event.id, type: event.type, attempts: attempt, err: reason }, 'event failed; dead-lettering');
            await this.deadLetter(payload, 'handler-failed', reason, attempt);
            return;
          }
          const backoff = Math.min(this.retry.maxBackoffMs, this.retry.initialBackoffMs * 2 ** (attempt - 1));
          this.logger.warn({ event_id: event.id, type: event.type, attempt, backoff_ms: backoff, err: reason }, 'event failed; retrying');
          await sleep(backoff);
          await payload.heartbeat();
        }
      }
    });
  }

  /** Runs the handler and records the event id in one transaction; false when already applied. */
  private async applyOnce(event: SettleEvent<unknown>, registration: HandlerRegistration, topic: string, partition: number, offset: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO processed_events (consumer_group, event_id, event_type, topic, partition, "offset")
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING event_id`,
        [this.options.groupId, event.id, event.type, topic, partition, offset],
      );
      if (inserted.length === 0) return false;
      await registration.handle(event, manager);
      return true;
    });
  }

  private async deadLetter(payload: EachMessagePayload, reason: DeadLetterReason, error: string, attempts: number): Promise<void> {
    const { topic, partition, message } = payload;
    const headers: Record<string, string | Buffer> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      const first = Array.isArray(value) ? value[0] : value;
      if (first !== undefined) headers[name] = first;
    }
    Object.assign(headers, {
      [DeadLetterHeaders.Reason]: reason,
      [DeadLetterHeaders.Error]: error.slice(0, 4000),
      [DeadLetterHeaders.Attempts]: String(attempts),
      [DeadLetterHeaders.ConsumerGroup]: this.options.groupId,
      [DeadLetterHeaders.OriginalTopic]: topic,
      [DeadLetterHeaders.OriginalPartition]: String(partition),
      [DeadLetterHeaders.OriginalOffset]: message.offset,
      [DeadLetterHeaders.OriginalTimestamp]: message.timestamp,
      [DeadLetterHeaders.FailedAt]: new Date().toISOString(),
    });
    // If the dead-letter write fails this throws, the offset is not committed and the message
    // is redelivered: a message is never dropped silently.
    await this.producer.send({
      topic: deadLetterTopicOf(topic),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    this.deadLettered?.inc({ group: this.options.groupId, reason });
    this.logger.warn({ topic, partition, offset: message.offset, reason, err: error }, 'message dead-lettered');
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
