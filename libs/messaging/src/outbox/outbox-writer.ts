import { EventData, EventDefinition, SettleEvent } from '@settle/contracts';
import { currentCorrelationId } from '@settle/platform';
import { currentTraceparent } from '@settle/tracing';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { OutboxMessage } from './outbox-message.entity';

export class InvalidEventError extends Error {}

/** The channel the relay listens on; NOTIFY is delivered on commit, never for a rolled-back event. */
export function outboxChannel(schema: string): string {
  return `settle_outbox_${schema}`;
}

/**
 * Records an event in the caller's transaction. Nothing reaches Kafka unless that transaction
 * commits; once it commits, the relay publishes it even if the process dies right after.
 */
export class OutboxWriter {
  constructor(
    private readonly service: string,
    private readonly schema: string,
  ) {}

  async append<D extends EventDefinition>(
    manager: EntityManager,
    definition: D,
    data: EventData<D>,
    options: { partitionKey: string; subject?: string; occurredAt?: Date },
  ): Promise<SettleEvent<EventData<D>>> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new InvalidEventError(`${definition.type}: append it inside the transaction of the state change it reports`);
    }
    const parsed = definition.schema.safeParse(data);
    if (!parsed.success) {
      throw new InvalidEventError(`${definition.type}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const event: SettleEvent<EventData<D>> = {
      id: randomUUID(),
      type: definition.type,
      source: `/settle/${this.service}`,
      time: (options.occurredAt ?? new Date()).toISOString(),
      subject: options.subject,
      partitionKey: options.partitionKey,
      correlationId: currentCorrelationId(),
      traceparent: currentTraceparent(),
      data: parsed.data as EventData<D>,
    };
    await manager.insert(OutboxMessage, {
      eventId: event.id,
      eventType: event.type,
      topic: definition.topic,
      partitionKey: event.partitionKey,
      subject: event.subject ?? null,
      correlationId: event.correlationId ?? null,
      traceParent: event.traceparent ?? null,
      data: event.data as object,
      occurredAt: new Date(event.time),
    });
    await manager.query('SELECT pg_notify($1, $2)', [outboxChannel(this.schema), '']);
    return event;
  }
}
