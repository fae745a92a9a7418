export * from './cloudevents/cloud-event.codec';
export * from './outbox/outbox-message.entity';
export * from './outbox/outbox-writer';
export * from './outbox/outbox-relay';
export * from './inbox/processed-event.entity';
export * from './inbox/event-consumer';
export * from './kafka/kafka-client';
export * from './kafka/topic-provisioning';
export * from './messaging-tables.migration';
export * from './messaging-trace-context.migration';
export * from './messaging.module';

import { OutboxMessage } from './outbox/outbox-message.entity';
import { ProcessedEvent } from './inbox/processed-event.entity';
/** Entities every service registers with its datasource. */
export const MessagingEntities = [OutboxMessage, ProcessedEvent];
