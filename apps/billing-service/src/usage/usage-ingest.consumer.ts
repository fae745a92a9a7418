import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AssociationEndedV1, ConsumerGroups, CustomerAssociatedV1, UsageRecordV1 } from '@settle/contracts';
import { MessagingRuntime, RejectedEventError, on } from '@settle/messaging';
import { LOGGER, Logger } from '@settle/platform';
import { EntityManager } from 'typeorm';
import { CustomerOwnership } from '../customer-ownership/customer-ownership.entity';
import { UsageRecordRejectedError } from '../rating/rating.service';
import { UsageIngestService } from './usage-ingest.service';

/**
 * Usage records from Kafka, exactly once (inbox + record_id key). A record breaking the contract
 * or its business rules (unknown currency, too many decimals, bill_cycle not matching occurred_at,
 * correction without original…) fails the contract's schema and is dead-lettered at once with the
 * reason; a correction naming a record billing never received fails the handler, is retried (the
 * original may be a moment behind) and then dead-lettered with the reason; a correction that can
 * never apply (another customer's or another currency's original) is dead-lettered at once as
 * `rejected`.
 *
 * The same group reads the association events, so records that arrived before billing knew the
 * customer's owner are booked as soon as the ownership projection has it (and the attribution
 * sweep books any it missed).
 */
@Injectable()
export class UsageIngestConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly usage: UsageIngestService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.BillingUsageIngest,
      handlers: [
        on(UsageRecordV1, async (event, manager) => {
          const outcome = await this.usage.ingest(manager, event.data, { kind: 'kafka', eventId: event.id }).catch((error: unknown) => {
            // A record no retry can book goes to the dead-letter topic at once (reason `rejected`).
            throw error instanceof UsageRecordRejectedError && !error.retryable ? new RejectedEventError(error.message) : error;
          });
          this.logger.info({ record_id: event.data.record_id, customer_id: event.data.customer_id, outcome }, 'usage record ingested');
        }),
        on(CustomerAssociatedV1, async (event, manager) => {
          await this.requireProjected(manager, event.data.association_id);
          const booked = await this.usage.attributePendingOf(manager, event.data.customer_id);
          if (booked) this.logger.info({ customer_id: event.data.customer_id, booked }, 'waiting usage records attributed');
        }),
        on(AssociationEndedV1, async (event, manager) => {
          await this.requireProjected(manager, event.data.association_id);
          await this.usage.attributePendingOf(manager, event.data.customer_id);
        }),
      ],
      // Up to ~15 s for the ownership projection (another consumer) to catch up with an
      // association, or for an original record to arrive before its correction.
      retry: { maxAttempts: 10, initialBackoffMs: 200, maxBackoffMs: 2_500 },
    });
  }

  /**
   * Attribution reads the ownership projection, which another consumer group writes: wait (by
   * failing and being retried) until it has this association. If it never does, the event is
   * dead-lettered here and the attribution sweep still books the waiting records later.
   */
  private async requireProjected(manager: EntityManager, associationId: string): Promise<void> {
    if (!(await manager.exists(CustomerOwnership, { where: { associationId } }))) {
      throw new Error(`the ownership projection has not recorded association ${associationId} yet`);
    }
  }
}
