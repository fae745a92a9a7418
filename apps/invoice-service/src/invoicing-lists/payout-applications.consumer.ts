import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerGroups, IncentivePayoutAppliedV1 } from '@settle/contracts';
import { MessagingRuntime, on } from '@settle/messaging';
import { LOGGER, Logger, SERVICE_CONFIG } from '@settle/platform';
import { InvoicingListsService } from './invoicing-lists.service';
import { InvoiceConfig } from '../config';

/**
 * incentive-service's payout applications: one that needs an invoice (bank transfer, return to the
 * recharge account) opens an invoicing list; vouchers need none and are skipped. Exactly once in
 * effect: the inbox drops a redelivered event, the unique application id a re-published one.
 */
@Injectable()
export class PayoutApplicationsConsumer implements OnModuleInit {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: InvoiceConfig,
    private readonly messaging: MessagingRuntime,
    private readonly lists: InvoicingListsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    if (!this.config.INVOICE_CONSUMERS_ENABLED) return;
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.InvoicePayoutApplications,
      handlers: [
        on(IncentivePayoutAppliedV1, async (event, manager) => {
          const list = await this.lists.open(manager, event.data);
          if (list) this.logger.info({ invoicing_list_id: list.id, application_id: list.applicationId, partner_id: list.partnerId }, 'invoicing list opened');
        }),
      ],
    });
  }
}
