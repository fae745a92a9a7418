import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerGroups, SplitBillIssuedV1, StatementGeneratedV1 } from '@settle/contracts';
import { MessagingRuntime, on } from '@settle/messaging';
import { LOGGER, Logger } from '@settle/platform';
import { SplitSectionsService } from './split-sections.service';

/**
 * Marketplace split bills into the split section of statements, exactly once (inbox + split bill
 * id): on the split bill's arrival, and on each generated statement revision (a split bill that
 * arrived first waits for it). Both take the partner's lock, so neither misses the other.
 */
@Injectable()
export class SplitSectionsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly sections: SplitSectionsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.BillingSplitBills,
      handlers: [
        on(SplitBillIssuedV1, async (event, manager) => {
          await this.sections.received(manager, event.data, new Date());
          this.logger.info({ split_bill_id: event.data.split_bill_id, partner_id: event.data.partner_id, bill_cycle: event.data.bill_cycle }, 'split bill received');
        }),
        on(StatementGeneratedV1, async (event, manager) => {
          await this.sections.statementGenerated(manager, event.data, new Date());
        }),
      ],
    });
  }
}
