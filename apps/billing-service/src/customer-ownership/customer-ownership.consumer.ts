import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerGroups, CustomerAssociatedV1 } from '@settle/contracts';
import { MessagingRuntime, on } from '@settle/messaging';
import { CustomerOwnership } from './customer-ownership.entity';

/** Projects customer-service's association events into `customer_ownership`, exactly once. */
@Injectable()
export class CustomerOwnershipConsumer implements OnModuleInit {
  constructor(private readonly messaging: MessagingRuntime) {}

  onModuleInit(): void {
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.BillingCustomerOwnership,
      handlers: [
        on(CustomerAssociatedV1, async (event, manager) => {
          await manager.insert(CustomerOwnership, {
            associationId: event.data.association_id,
            partnerId: event.data.partner_id,
            customerId: event.data.customer_id,
            associationType: event.data.association_type,
            effectiveFrom: new Date(event.data.effective_from),
            effectiveTo: null,
            sourceEventId: event.id,
          });
        }),
      ],
    });
  }
}
