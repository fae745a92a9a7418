import { Injectable, OnModuleInit } from '@nestjs/common';
import { AccountManagerAssignedV1, AssociationEndedV1, ConsumerGroups, CustomerAssociatedV1 } from '@settle/contracts';
import { MessagingRuntime, on } from '@settle/messaging';
import { CustomerOwnership } from './customer-ownership.entity';

/**
 * Projects customer-service's association events into `customer_ownership`, exactly once. Start
 * and end of one association carry the same partner key, so they arrive in order; the end is
 * written as an upsert of the whole period, so a projection rebuilt from a topic whose retention
 * already dropped the start still records it. It also keeps who manages each customer (the
 * salesperson), newest assignment wins, for the salesperson-scoped bill views.
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
            accountManagerId: event.data.account_manager_id ?? null,
            // The initial manager is the baseline: any later assignment of this association replaces it.
            accountManagerAt: null,
            sourceEventId: event.id,
          });
        }),
        on(AccountManagerAssignedV1, async (event, manager) => {
          const at = new Date(event.data.assigned_at);
          // Same partition as the association, so the row is there; if a replay starts between the
          // two, failing retries and then dead-letters with this reason.
          if (!(await manager.exists(CustomerOwnership, { where: { associationId: event.data.association_id } }))) {
            throw new Error(`the ownership projection has no association ${event.data.association_id} to assign an account manager to`);
          }
          await manager
            .createQueryBuilder()
            .update(CustomerOwnership)
            .set({ accountManagerId: event.data.account_manager_id, accountManagerAt: at, sourceEventId: event.id })
            .where('association_id = :id AND (account_manager_at IS NULL OR account_manager_at <= :at)', { id: event.data.association_id, at })
            .execute();
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
