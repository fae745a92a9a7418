import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerGroups, InvoiceApprovedV1, InvoiceRejectedV1 } from '@settle/contracts';
import { MessagingRuntime, on } from '@settle/messaging';
import { LOGGER, Logger } from '@settle/platform';
import { PayoutsService } from './payouts.service';

/**
 * invoice-service's reviews of the invoices payouts wait for: an approval releases the payout
 * (exactly once: inbox, and only an application still awaiting its invoice is released); a
 * rejection is shown as progress. An approval the service cannot apply (unknown application,
 * other partner, other amount) is dead-lettered as rejected with the reason.
 */
@Injectable()
export class InvoiceReviewsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly payouts: PayoutsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.IncentiveInvoiceReviews,
      handlers: [
        on(InvoiceApprovedV1, async (event, m) => {
          const outcome = await this.payouts.invoiceApproved(m, event.data, event.id);
          this.logger.info({ application_id: event.data.application_id, invoice_number: event.data.invoice_number, outcome }, 'invoice approved');
        }),
        on(InvoiceRejectedV1, async (event, m) => {
          const outcome = await this.payouts.invoiceRejected(m, event.data, event.id);
          this.logger.info({ application_id: event.data.application_id, invoice_number: event.data.invoice_number, outcome }, 'invoice rejected');
        }),
      ],
    });
  }
}
