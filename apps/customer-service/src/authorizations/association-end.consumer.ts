import { Injectable, OnModuleInit } from '@nestjs/common';
import { AssociationEndedV1, AuthorizationRevokedV1, ConsumerGroups } from '@settle/contracts';
import { MessagingRuntime, OutboxWriter, on } from '@settle/messaging';
import { CustomerAuthorization } from './customer-authorization.entity';

/**
 * A partner may operate on a customer's behalf only while it is the customer's partner: when an
 * association ends, its approved authorizations are revoked (and announced) in the inbox
 * transaction of `customer.association-ended`, so a redelivery revokes nothing twice.
 */
@Injectable()
export class AssociationEndConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly outbox: OutboxWriter,
  ) {}

  onModuleInit(): void {
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.CustomerAuthorizationLifecycle,
      handlers: [
        on(AssociationEndedV1, async (event, manager) => {
          const { partner_id: partnerId, customer_id: customerId, effective_to: endedAt } = event.data;
          const approved = await manager.find(CustomerAuthorization, { where: { partnerId, customerId, status: 'approved' }, lock: { mode: 'pessimistic_write' } });
          const now = new Date();
          for (const authorization of approved) {
            const reason = `association ended at ${endedAt}`;
            await manager.update(CustomerAuthorization, { id: authorization.id, status: 'approved' }, { status: 'revoked', revokedAt: now, reason, updatedAt: now });
            await this.outbox.append(
              manager,
              AuthorizationRevokedV1,
              { authorization_id: authorization.id, partner_id: partnerId, customer_id: customerId, reason, revoked_at: now.toISOString() },
              { partitionKey: partnerId, subject: customerId, occurredAt: now },
            );
          }
        }),
      ],
    });
  }
}
