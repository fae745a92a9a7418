import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerGroups, StatementConfirmedV1, StatementSplitSectionAttachedV1 } from '@settle/contracts';
import { MessagingRuntime, on } from '@settle/messaging';
import { LOGGER, Logger } from '@settle/platform';
import { SplitBillsService } from './split-bills.service';

/**
 * billing's statement events that move split bills: a split section attached to a statement
 * revision, and the partner's confirmation. Both are keyed by the partner id on billing's topic,
 * so the attachment of a revision always arrives before its confirmation. A confirmation
 * delivered twice is absorbed by the inbox; replayed under a new event id, it finds the bills
 * already settled: split-settled is published once per split bill.
 */
@Injectable()
export class StatementsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly splitBills: SplitBillsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.MarketplaceStatements,
      handlers: [
        on(StatementSplitSectionAttachedV1, async (event, manager) => {
          await this.splitBills.attached(manager, event.data);
        }),
        on(StatementConfirmedV1, async (event, manager) => {
          const settled = await this.splitBills.confirmed(manager, event.data);
          if (settled.length) {
            this.logger.info({ statement_id: event.data.statement_id, partner_id: event.data.partner_id, split_bills: settled.map((b) => ({ id: b.id, amount_minor: b.settledAmountMinor })) }, 'split bills settled');
          }
        }),
      ],
    });
  }
}
