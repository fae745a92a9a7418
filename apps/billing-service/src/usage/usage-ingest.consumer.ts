import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerGroups, UsageRecordV1 } from '@settle/contracts';
import { MessagingRuntime, onBatch } from '@settle/messaging';
import { SERVICE_CONFIG } from '@settle/platform';
import { BillingConfig } from '../config';
import { UsageIngestService } from './usage-ingest.service';

/**
 * Usage records from Kafka, a batch per transaction, exactly once (inbox + record_id key). A
 * record breaking the contract (unknown currency, too many decimals, bill_cycle not matching
 * occurred_at, correction without original…) fails the schema and is dead-lettered at once; one
 * the catalog does not know, or a correction that can never apply (another customer's or another
 * currency's original), is dead-lettered at once as `rejected` while the rest of its batch is
 * booked; a correction naming a record billing never received fails its batch, is isolated,
 * retried (the original may be a moment behind) and then dead-lettered with the reason.
 */
@Injectable()
export class UsageIngestConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly usage: UsageIngestService,
    @Inject(SERVICE_CONFIG) private readonly config: BillingConfig,
  ) {}

  onModuleInit(): void {
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.BillingUsageIngest,
      maxBatchSize: this.config.USAGE_INGEST_BATCH_SIZE,
      partitionsConsumedConcurrently: this.config.USAGE_INGEST_PARTITIONS_CONCURRENTLY,
      handlers: [
        onBatch(UsageRecordV1, async (events, manager, context) => {
          const outcomes = await this.usage.ingestBatch(
            manager,
            events.map((event) => ({ data: event.data, source: { kind: 'kafka' as const, eventId: event.id } })),
          );
          outcomes.forEach((outcome, i) => {
            if (typeof outcome === 'object') context.reject(events[i], outcome.rejected);
          });
        }),
      ],
    });
  }
}
