import { Injectable, OnModuleInit } from '@nestjs/common';
import { AssociationType, ConsumerGroups, CustomerCreatedV1 } from '@settle/contracts';
import { MessagingRuntime, on } from '@settle/messaging';
import { AssociationsService } from './associations.service';

/**
 * Completes the association of customers that partners create through the API, asynchronously
 * (the partner API's contract): `customer.created` is consumed here and the association is written
 * in the inbox transaction, so a redelivery associates once.
 */
@Injectable()
export class AssociationCompletionConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly associations: AssociationsService,
  ) {}

  onModuleInit(): void {
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.CustomerAssociationCompletion,
      handlers: [
        on(CustomerCreatedV1, async (event, manager) => {
          await this.associations.associate(
            {
              partnerId: event.data.partner_id,
              customerId: event.data.customer_id,
              associationType: event.data.association_type as AssociationType,
              indirectPartnerId: event.data.indirect_partner_id,
              accountManagerId: event.data.account_manager_id ?? null,
              source: 'api',
            },
            manager,
          );
        }),
      ],
    });
  }
}
