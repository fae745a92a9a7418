import { EventDefinition, SettleEvent, deadLetterTopicOf, physicalGroupId, physicalTopic } from '@settle/contracts';
import { setSystemScope } from '@settle/persistence';
import { Logger, MetricsRegistry, newCorrelationId, runWithContext } from '@settle/platform';
import { endSpan, startSpan, traceparentOf, tracingActive, withTraceparent } from '@settle/tracing';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { MalformedEventError, decodeEvent } from '../cloudevents/cloud-event.codec';

/** Handles one event in the consumer's transaction (low-volume events: the simple form). */
export type EventHandler<T = unknown> = (event: SettleEvent<T>, manager: EntityManager) => Promise<void>;

/** What a batch handler may say about single events of its batch without failing the others. */
export interface BatchContext {
  /**
   * The event can never be applied (a business rule it breaks): it is dead-lettered as `rejected`
   * with this reason, and is not recorded as processed, so a replay after a fix applies it. The
   * handler must write nothing for it.
   */
  reject(event: SettleEvent<unknown>, reason: string): void;
}

/**
 * Handles consecutive events of one type in one transaction (high-volume events: multi-row
 * statements for the whole batch). Events arrive in partition order, already deduplicated.
 */
export type BatchEventHandler<T = unknown> = (events: SettleEvent<T>[], manager: EntityManager, context: BatchContext) => Promise<void>;

export interface HandlerRegistration<D extends EventDefinition = EventDefinition> {
  definition: D;
  handleBatch: BatchEventHandler<import('zod').infer<D['schema']>>;
}

/** A per-event handler; it runs in the batch's transaction, one event after the other. */
export function on<D extends EventDefinition>(definition: D, handle: EventHandler<import('zod').infer<D['schema']>>): HandlerRegistration {
  return {
    definition,
    handleBatch: (async (events: SettleEvent<unknown>[], manager: EntityManager) => {
      // Each event under its own correlation id: its logs and the events it emits follow its cause.
      // …and inside its consume span, so the events and jobs it causes continue its trace.
      for (const event of events) {
        await runWithContext({ correlationId: event.correlationId ?? newCorrelationId() }, () => withTraceparent(event.traceparent, () => (handle as EventHandler)(event, manager)));
      }
    }) as BatchEventHandler,
  };
}

/** A batch handler for a high-volume event type. */
export function onBatch<D extends EventDefinition>(definition: D, handleBatch: BatchEventHandler<import('zod').infer<D['schema']>>): HandlerRegistration {
  return { definition, handleBatch: handleBatch as BatchEventHandler };
}

export interface RetryPolicy {
  /** Tries of one event, the first included, before it goes to the dead-letter topic. */
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 200, maxBackoffMs: 5_000 };

/** Events applied in one transaction at most (a fetched partition batch is cut into chunks of this size). */
export const DEFAULT_MAX_BATCH_SIZE = 500;

export interface EventConsumerOptions {
  /** Logical group id from contracts; the deployment's prefix is added here. */
  groupId: string;
  handlers: HandlerRegistration[];
  topicPrefix: string;
  retry?: Partial<RetryPolicy>;
  /** Read from the beginning when the group has no committed offset (the default: no event is skipped). */
  fromBeginning?: boolean;
  /** Events per transaction at most (default 500). */
  maxBatchSize?: number;
  /** Partitions this instance works on at once (default 1); more overlaps database round trips. */
  partitionsConsumedConcurrently?: number;
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

interface Delivery {
  message: KafkaMessage;
  event: SettleEvent<unknown>;
  registration: HandlerRegistration;
}

interface DeadLetter {
  message: KafkaMessage;
  reason: DeadLetterReason;
  error: string;
  attempts: number;
}

interface Applied {
  applied: number;
  duplicates: number;
  rejected: DeadLetter[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Consumes events into this service's state, exactly once in effect, a batch at a time:
 * - a fetched partition batch is cut into chunks; each chunk's events are applied in one
 *   transaction, and their ids are recorded in `processed_events` by one multi-row insert in
 *   that same transaction, so a redelivery (rebalance, crash before the offset commit, relay
 *   re-publish) changes nothing; the offset is committed only after the transaction;
 * - a message that is not a valid CloudEvent or whose data breaks its schema is dead-lettered at
 *   once (retrying cannot fix it); event types the group does not handle are skipped;
 * - when a chunk's transaction fails, the chunk is split in halves and each half applied on its
 *   own, down to the single failing event, which is retried with exponential backoff and then
 *   dead-lettered with the reason; the events around it are applied and the partition moves on;
 * - a batch handler can reject single events (`BatchContext.reject`) without failing the others.
 * Logs one line per chunk, not per event.
 */
export class EventConsumer {
  private consumer?: Consumer;
  private readonly retry: RetryPolicy;
  private readonly handlers: Map<string, HandlerRegistration>;
  private readonly groupId: string;
  private readonly topics: string[];
  private readonly maxBatchSize: number;
  private readonly processed;
  private readonly deadLettered;
  private readonly lag;

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
    this.maxBatchSize = Math.max(1, options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE);
    this.processed = metrics?.counter('settle_events_consumed_total', 'Events consumed, by outcome', ['group', 'type', 'outcome']);
    this.deadLettered = metrics?.counter('settle_events_dead_lettered_total', 'Events sent to a dead-letter topic', ['group', 'reason']);
    // As this instance last saw it, after each chunk; `settle consumers lag` asks the broker.
    this.lag = metrics?.gauge('settle_consumer_lag', 'Messages behind the end of the partition after the last applied chunk', ['group', 'topic', 'partition']);
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
    await consumer.run({
      // Offsets are resolved by hand after each chunk's transaction and committed at once.
      autoCommit: true,
      autoCommitThreshold: 1,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /** Leaves the group cleanly so its partitions move to another instance at once. */
  async stop(): Promise<void> {
    if (!this.consumer) return;
    await this.consumer.disconnect();
    this.consumer = undefined;
    this.logger.info({ group: this.groupId }, 'consumer left its group');
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    for (let start = 0; start < batch.messages.length; start += this.maxBatchSize) {
      if (!payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(start, start + this.maxBatchSize);
      await this.handleChunk(batch.topic, batch.partition, chunk, payload);
      const last = chunk[chunk.length - 1].offset;
      payload.resolveOffset(last);
      await payload.commitOffsetsIfNecessary();
      this.lag?.set({ group: this.options.groupId, topic: batch.topic, partition: String(batch.partition) }, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last) - 1n)));
      await payload.heartbeat();
    }
  }

  private async handleChunk(topic: string, partition: number, messages: KafkaMessage[], payload: EachBatchPayload): Promise<void> {
    const started = Date.now();
    const deliveries: Delivery[] = [];
    const deadLetters: DeadLetter[] = [];
    let skipped = 0;
    for (const message of messages) {
      let event: SettleEvent<unknown>;
      try {
        event = decodeEvent(message);
        if (!UUID.test(event.id)) throw new MalformedEventError(`ce_id ${JSON.stringify(event.id).slice(0, 80)} is not a UUID`);
      } catch (error) {
        if (!(error instanceof MalformedEventError)) throw error;
        deadLetters.push({ message, reason: 'malformed', error: error.message, attempts: 1 });
        continue;
      }
      const registration = this.handlers.get(event.type);
      if (!registration) {
        skipped += 1;
        this.processed?.inc({ group: this.options.groupId, type: event.type, outcome: 'skipped' });
        continue;
      }
      const parsed = registration.definition.schema.safeParse(event.data);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`).join('; ');
        deadLetters.push({ message, reason: 'invalid-data', error: `${event.type} data does not match its schema: ${detail}`, attempts: 1 });
        continue;
      }
      deliveries.push({ message, event: { ...event, data: parsed.data }, registration });
    }
    // One cause for the whole chunk: its correlation id; a chunk of many causes gets a fresh one
    // and names theirs in its log line.
    const causes = [...new Set(deliveries.map((d) => d.event.correlationId).filter((c): c is string => !!c))];
    // A consume span per event, child of its producer's span; handlers run under it (see `on`).
    // Only when tracing is on: the usage topic's hot path pays nothing for it otherwise.
    const spans = (tracingActive() ? deliveries : []).map((d) => {
      const span = startSpan(`consume ${d.event.type}`, 'consumer', d.event.traceparent, { 'messaging.system': 'kafka', 'messaging.consumer.group.name': this.options.groupId, 'messaging.message.id': d.event.id });
      d.event = { ...d.event, traceparent: traceparentOf(span) ?? d.event.traceparent };
      return { span, message: d.message };
    });
    await runWithContext({ correlationId: causes.length === 1 ? causes[0] : newCorrelationId() }, async () => {
      const outcome = await this.applyIsolating(topic, partition, deliveries, deadLetters, payload).finally(() => {
        if (spans.length === 0) return;
        const dead = new Map(deadLetters.map((d) => [d.message, d]));
        for (const { span, message } of spans) endSpan(span, dead.has(message) ? `${dead.get(message)!.reason}: ${dead.get(message)!.error}` : undefined);
      });
      // Dead letters go out after the effects committed and before the offset is: if the send
      // fails, the chunk is redelivered, its applied events are duplicates, and the send is retried.
      await this.sendDeadLetters(topic, partition, deadLetters);
      this.logger.info(
        {
          topic,
          partition,
          first_offset: messages[0].offset,
          last_offset: messages[messages.length - 1].offset,
          events: messages.length,
          applied: outcome.applied,
          duplicates: outcome.duplicates,
          skipped,
          dead_lettered: deadLetters.length,
          ...(causes.length > 1 ? { correlation_ids: causes.slice(0, 20) } : {}),
          ms: Date.now() - started,
        },
        'event batch consumed',
      );
    });
  }

  /**
   * Applies the deliveries in one transaction; if it fails, applies each half on its own, so a
   * failing event is found in about 2·log2(n) transactions and the others are applied in order.
   */
  private async applyIsolating(topic: string, partition: number, deliveries: Delivery[], deadLetters: DeadLetter[], payload: EachBatchPayload): Promise<Applied> {
    const total: Applied = { applied: 0, duplicates: 0, rejected: [] };
    if (deliveries.length === 0) return total;
    try {
      const done = await this.applyInTransaction(topic, partition, deliveries);
      deadLetters.push(...done.rejected);
      return done;
    } catch (error) {
      if (deliveries.length === 1) {
        const single = await this.retrySingle(topic, partition, deliveries[0], error, payload);
        if (single.deadLetter) deadLetters.push(single.deadLetter);
        return single.applied ?? total;
      }
      const middle = Math.ceil(deliveries.length / 2);
      for (const half of [deliveries.slice(0, middle), deliveries.slice(middle)]) {
        const done = await this.applyIsolating(topic, partition, half, deadLetters, payload);
        total.applied += done.applied;
        total.duplicates += done.duplicates;
      }
      await payload.heartbeat();
      return total;
    }
  }

  /** One event that failed alone: retried with backoff, then dead-lettered (at once if rejected). */
  private async retrySingle(
    topic: string,
    partition: number,
    delivery: Delivery,
    firstError: unknown,
    payload: EachBatchPayload,
  ): Promise<{ applied?: Applied; deadLetter?: DeadLetter }> {
    const { event, message } = delivery;
    let error = firstError;
    for (let attempt = 1; ; attempt++) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof RejectedEventError) {
        this.logger.warn({ event_id: event.id, type: event.type, attempts: attempt, err: reason }, 'event rejected; dead-lettering without retry');
        return { deadLetter: { message, reason: 'rejected', error: reason, attempts: attempt } };
      }
      if (attempt >= this.retry.maxAttempts) {
        this.logger.error({ event_id: event.id, type: event.type, attempts: attempt, err: reason }, 'event failed; dead-lettering');
        return { deadLetter: { message, reason: 'handler-failed', error: reason, attempts: attempt } };
      }
      const backoff = Math.min(this.retry.maxBackoffMs, this.retry.initialBackoffMs * 2 ** (attempt - 1));
      this.logger.warn({ event_id: event.id, type: event.type, attempt, backoff_ms: backoff, err: reason }, 'event failed; retrying');
      await sleep(backoff);
      await payload.heartbeat();
      try {
        const applied = await this.applyInTransaction(topic, partition, [delivery]);
        return { applied, deadLetter: applied.rejected[0] };
      } catch (next) {
        error = next;
      }
    }
  }

  /**
   * One transaction: record the event ids (those already recorded are duplicates and skipped),
   * run each run of consecutive same-type events through its handler, and un-record the events a
   * handler rejected.
   */
  private async applyInTransaction(topic: string, partition: number, deliveries: Delivery[]): Promise<Applied> {
    const handled = new Set<Delivery>();
    const done = await this.dataSource.transaction(async (manager): Promise<Applied> => {
      handled.clear();
      await setSystemScope(manager);
      const inserted: { event_id: string }[] = await manager.query(
        `INSERT INTO processed_events (consumer_group, event_id, event_type, topic, partition, "offset")
         SELECT $1, e.id, e.type, $2, $3, e.off FROM unnest($4::uuid[], $5::text[], $6::bigint[]) AS e(id, type, off)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [this.options.groupId, topic, partition, deliveries.map((d) => d.event.id), deliveries.map((d) => d.event.type), deliveries.map((d) => d.message.offset)],
      );
      const fresh = new Set(inserted.map((r) => r.event_id));
      const rejected = new Map<string, string>();
      const context: BatchContext = { reject: (event, reason) => rejected.set(event.id, reason) };
      let applied = 0;
      let run: Delivery[] = [];
      const flush = async () => {
        if (run.length === 0) return;
        await run[0].registration.handleBatch(
          run.map((d) => d.event),
          manager,
          context,
        );
        applied += run.length;
        for (const d of run) handled.add(d);
        run = [];
      };
      for (const delivery of deliveries) {
        // The same id twice in one chunk: the first one counts.
        if (!fresh.delete(delivery.event.id)) continue;
        if (run.length > 0 && run[0].event.type !== delivery.event.type) await flush();
        run.push(delivery);
      }
      await flush();
      if (rejected.size > 0) {
        await manager.query(`DELETE FROM processed_events WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])`, [this.options.groupId, [...rejected.keys()]]);
      }
      return {
        applied: applied - rejected.size,
        duplicates: deliveries.length - applied,
        rejected: deliveries
          .filter((d) => rejected.has(d.event.id))
          .map((d) => ({ message: d.message, reason: 'rejected' as const, error: rejected.get(d.event.id) as string, attempts: 1 })),
      };
    });
    this.count(deliveries, handled, new Set(done.rejected.map((r) => r.message)));
    return done;
  }

  /** Counts, per event type, what a committed transaction applied and what it skipped as duplicate. */
  private count(deliveries: Delivery[], handled: Set<Delivery>, rejected: Set<KafkaMessage>): void {
    if (!this.processed) return;
    const counts = new Map<string, { applied: number; duplicate: number }>();
    for (const d of deliveries) {
      if (rejected.has(d.message)) continue;
      const c = counts.get(d.event.type) ?? { applied: 0, duplicate: 0 };
      if (handled.has(d)) c.applied += 1;
      else c.duplicate += 1;
      counts.set(d.event.type, c);
    }
    for (const [type, c] of counts) {
      if (c.applied) this.processed.inc({ group: this.options.groupId, type, outcome: 'applied' }, c.applied);
      if (c.duplicate) this.processed.inc({ group: this.options.groupId, type, outcome: 'duplicate' }, c.duplicate);
    }
  }

  private async sendDeadLetters(topic: string, partition: number, deadLetters: DeadLetter[]): Promise<void> {
    if (deadLetters.length === 0) return;
    const failedAt = new Date().toISOString();
    const messages = deadLetters.map(({ message, reason, error, attempts }) => {
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
        [DeadLetterHeaders.FailedAt]: failedAt,
      });
      return { key: message.key, value: message.value, headers };
    });
    // If the dead-letter write fails this throws, the offset is not committed and the chunk is
    // redelivered: a message is never dropped silently.
    await this.producer.send({ topic: deadLetterTopicOf(topic), acks: -1, messages });
    for (const d of deadLetters) {
      this.deadLettered?.inc({ group: this.options.groupId, reason: d.reason });
      this.logger.warn({ topic, partition, offset: d.message.offset, reason: d.reason, err: d.error }, 'message dead-lettered');
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
