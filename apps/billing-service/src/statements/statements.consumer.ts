import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { BillGeneratedV1, ConsumerGroups } from '@settle/contracts';
import { MessagingRuntime, on } from '@settle/messaging';
import { Money } from '@settle/money';
import { LOGGER, Logger } from '@settle/platform';
import { StatementsService } from './statements.service';

/**
 * Statements follow final bills through the event (not a call from bill generation), so a
 * statement is made exactly once per bill however often the event is delivered (inbox), and a
 * partner enrolled later can have its statements rebuilt by replaying the topic.
 */
@Injectable()
export class StatementsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly statements: StatementsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.BillingStatements,
      handlers: [
        on(BillGeneratedV1, async (event, manager) => {
          const d = event.data;
          const statement = await this.statements.generateFor(manager, {
            billId: d.bill_id,
            partnerId: d.partner_id,
            billCycle: d.bill_cycle,
            currency: d.currency,
            amountDueMinor: Money.of(d.amount_due, d.currency).minor.toString(),
          });
          if (statement) this.logger.info({ statement_id: statement.id, partner_id: d.partner_id, bill_cycle: d.bill_cycle }, 'reconciliation statement generated');
        }),
      ],
    });
  }
}
