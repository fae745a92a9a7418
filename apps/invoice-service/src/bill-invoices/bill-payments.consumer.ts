import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { BillPaymentReceivedV1, ConsumerGroups } from '@settle/contracts';
import { MessagingRuntime, onBatch } from '@settle/messaging';
import { LOGGER, Logger, SERVICE_CONFIG } from '@settle/platform';
import { BillInvoicesService } from './bill-invoices.service';
import { InvoiceConfig } from '../config';

/** billing's bill payments: each adds to what its partner may have invoiced, once per payment id. */
@Injectable()
export class BillPaymentsConsumer implements OnModuleInit {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: InvoiceConfig,
    private readonly messaging: MessagingRuntime,
    private readonly bills: BillInvoicesService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    if (!this.config.INVOICE_CONSUMERS_ENABLED) return;
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.InvoiceBillPayments,
      handlers: [
        onBatch(BillPaymentReceivedV1, async (events, manager) => {
          let counted = 0;
          for (const event of events) if (await this.bills.recordPayment(manager, event.data, event.id)) counted += 1;
          this.logger.info({ payments: events.length, counted }, 'bill payments recorded');
        }),
      ],
    });
  }
}
