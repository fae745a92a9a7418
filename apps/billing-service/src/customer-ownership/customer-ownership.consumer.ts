import { Injectable, OnModuleInit } from '@nestjs/common';
import { AssociationEndedV1, ConsumerGroups, CustomerAssociatedV1 } from '@settle/contracts';
import { MessagingRuntime, on } from '@settle/messaging';
import { CustomerOwnership } from './customer-ownership.entity';

/**
 * Projects customer-service's association events into `customer_ownership`, exactly once. Start
 * and end of one association carry the same partner key, so they arrive in order; the end is
 * written as an upsert of the whole period, so a projection rebuilt from a topic whose retention
 * already dropped the start still records it.
 */
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
        on(AssociationEndedV1, async (event, manager) => {
          await manager
            .createQueryBuilder()
            .insert()
            .into(CustomerOwnership)
            .values({
              associationId: event.data.association_id,
              partnerId: event.data.partner_id,
              customerId: event.data.customer_id,
              associationType: event.data.association_type,
              effectiveFrom: new Date(event.data.effective_from),
              effectiveTo: new Date(event.data.effective_to),
              sourceEventId: event.id,
            })
            .orUpdate(['effective_to'], ['association_id'])
            .execute();
        }),
      ],
    });
  }
}
