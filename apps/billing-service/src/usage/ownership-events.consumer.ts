import { Injectable, OnModuleInit } from '@nestjs/common';
import { AccountManagerAssignedV1, AssociationEndedV1, ConsumerGroups, CustomerAssociatedV1 } from '@settle/contracts';
import { MessagingRuntime, on } from '@settle/messaging';
import { CustomerOwnershipService } from '../customer-ownership/customer-ownership.service';
import { UsageIngestService } from './usage-ingest.service';

/**
 * customer-service's association events, exactly once, by one consumer: each one updates the
 * ownership projection and, in the same transaction, books the customer's usage records that
 * were waiting for an owner. Start and end of one association carry the same partner key, so they
 * arrive in order; salesperson assignments follow their association on the same partition.
 */
@Injectable()
export class OwnershipEventsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly ownership: CustomerOwnershipService,
    private readonly usage: UsageIngestService,
  ) {}

  onModuleInit(): void {
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.BillingCustomerOwnership,
      handlers: [
        on(CustomerAssociatedV1, async (event, manager) => {
          await this.ownership.recordAssociated(manager, event.data, event.id);
          await this.usage.attributePendingOf(manager, event.data.customer_id);
        }),
        on(AssociationEndedV1, async (event, manager) => {
          await this.ownership.recordEnded(manager, event.data, event.id);
          await this.usage.attributePendingOf(manager, event.data.customer_id);
        }),
        on(AccountManagerAssignedV1, (event, manager) => this.ownership.recordAccountManager(manager, event.data, event.id)),
      ],
    });
  }
}
