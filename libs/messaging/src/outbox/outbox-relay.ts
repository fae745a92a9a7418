import { physicalTopic } from '@settle/contracts';
import { endSpan, startSpan, traceparentOf, tracingActive } from '@settle/tracing';
import type { Logger } from '@settle/platform';
import { Producer } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { encodeEvent } from '../cloudevents/cloud-event.codec';
import { OutboxMessage } from './outbox-message.entity';
import { outboxChannel } from './outbox-writer';

export interface OutboxRelayOptions {
  service: string;
  schema: string;
  databaseUrl: string;
  topicPrefix: string;
  logger: Logger;
  pollMs?: number;
  batchSize?: number;
  /** Test seam for crash tests: runs after Kafka acknowledged a batch and before it is marked. */
  afterPublish?: (rows: OutboxMessage[]) => Promise<void> | void;
  onPublished?: (count: number) => void;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Publishes committed outbox rows to Kafka in id order and marks them sent.
 *
 * Crash safety: rows are marked only after Kafka acknowledged them, in the transaction that
 * locked them. A crash between publish and mark leaves them unmarked; they are published again
 * on restart (at-least-once), and consumers drop the duplicate by its event id.
 *
 * Order: one relay per schema publishes at a time (a transaction-scoped advisory lock), so
 * several replicas of a service never interleave and a partner's events keep their order.
 */
export class OutboxRelay {
  private readonly pollMs: number;
  private readonly batchSize: number;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private listener?: Client;
  private failures = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly options: OutboxRelayOptions,
  ) {
    this.pollMs = options.pollMs ?? 250;
    this.batchSize = options.batchSize ?? 200;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.listen();
    this.loop = this.run();
  }

  /** Finishes the batch in flight (so nothing is left published-but-unmarked), then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
  }

  /** Publishes one batch; returns how many events went out. */
  async publishBatch(): Promise<number> {
    const queryRunner = this.dataSource.createQueryRunner();
    await queryRunner.connect();
    try {
      await queryRunner.startTransaction();
      const [{ locked }] = await queryRunner.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [`${this.options.schema}.outbox`]);
      if (!locked) {
        await queryRunner.rollbackTransaction();
        return 0;
      }
      const rows = await queryRunner.manager
        .createQueryBuilder(OutboxMessage, 'o')
        .where('o.published_at IS NULL')
        .orderBy('o.id', 'ASC')
        .limit(this.batchSize)
        .getMany();
      if (rows.length === 0) {
        await queryRunner.rollbackTransaction();
        return 0;
      }
      // One producer span per event, child of the work that wrote it; its context travels on.
      const spans = (tracingActive() ? rows : []).map((row) => startSpan(`publish ${row.eventType}`, 'producer', row.traceParent ?? undefined, { 'messaging.system': 'kafka', 'messaging.destination.name': row.topic, 'messaging.message.id': row.eventId }));
      try {
        await this.producer.sendBatch({ acks: -1, topicMessages: groupByTopic(rows, this.options.topicPrefix, `/settle/${this.options.service}`, spans.map(traceparentOf)) });
        for (const span of spans) endSpan(span);
      } catch (error) {
        for (const span of spans) endSpan(span, error);
        await queryRunner.rollbackTransaction();
        await this.recordFailure(rows, error);
        throw error;
      }
      await this.options.afterPublish?.(rows);
      await queryRunner.manager
        .createQueryBuilder()
        .update(OutboxMessage)
        .set({ publishedAt: () => 'now()', lastError: null })
        .whereInIds(rows.map((r) => r.id))
        .execute();
      await queryRunner.commitTransaction();
      this.options.onPublished?.(rows.length);
      return rows.length;
    } catch (error) {
      if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await queryRunner.release();
    }
  }

  /** Seconds since the oldest unpublished row's state change (0 when nothing waits). */
  async oldestPendingAgeSeconds(): Promise<number> {
    const [{ age }] = await this.dataSource.query(
      `SELECT coalesce(extract(epoch FROM now() - min(occurred_at)), 0)::float8 AS age FROM "${this.options.schema}".outbox WHERE published_at IS NULL`,
    );
    return Math.max(0, Number(age));
  }

  /** Unpublished rows, for readiness detail and the backlog metric. */
  async backlog(): Promise<number> {
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM "${this.options.schema}".outbox WHERE published_at IS NULL`);
    return count;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let published = 0;
      try {
        published = await this.publishBatch();
        this.failures = 0;
      } catch (error) {
        this.failures += 1;
        this.options.logger.warn({ err: (error as Error).message, failures: this.failures }, 'outbox relay could not publish; will retry');
      }
      if (published >= this.batchSize && this.failures === 0) continue; // more waiting: no pause
      const delay = this.failures ? Math.min(MAX_BACKOFF_MS, this.pollMs * 2 ** this.failures) : this.pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** LISTEN so a commit wakes the relay at once; polling remains the fallback. */
  private async listen(): Promise<void> {
    try {
      const client = new Client({ connectionString: this.options.databaseUrl });
      client.on('error', (err) => this.options.logger.warn({ err: err.message }, 'outbox listener connection lost; polling continues'));
      await client.connect();
      client.on('notification', () => {
        if (this.failures === 0) this.wake?.();
      });
      await client.query(`LISTEN "${outboxChannel(this.options.schema)}"`);
      this.listener = client;
    } catch (error) {
      this.options.logger.warn({ err: (error as Error).message }, 'outbox LISTEN unavailable; relying on polling');
    }
  }

  private async recordFailure(rows: OutboxMessage[], error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.dataSource
      .createQueryBuilder()
      .update(OutboxMessage)
      .set({ publishAttempts: () => 'publish_attempts + 1', lastError: message.slice(0, 2000) })
      .whereInIds(rows.map((r) => r.id))
      .execute()
      .catch(() => undefined);
  }
}

function groupByTopic(rows: OutboxMessage[], prefix: string, source: string, traceparents: Array<string | undefined>) {
  const byTopic = new Map<string, ReturnType<typeof encodeEvent>[]>();
  for (const [i, row] of rows.entries()) {
    const topic = physicalTopic(row.topic, prefix);
    const list = byTopic.get(topic) ?? [];
    list.push(
      encodeEvent({
        id: row.eventId,
        type: row.eventType,
        source,
        time: row.occurredAt.toISOString(),
        subject: row.subject ?? undefined,
        partitionKey: row.partitionKey,
        correlationId: row.correlationId ?? undefined,
        traceparent: traceparents[i] ?? row.traceParent ?? undefined,
        data: row.data,
      }),
    );
    byTopic.set(topic, list);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
