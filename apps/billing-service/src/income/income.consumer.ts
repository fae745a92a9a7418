import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerGroups, IncentivePayoutReleasedV1, SplitSettledV1 } from '@settle/contracts';
import { MessagingRuntime, on } from '@settle/messaging';
import { LOGGER, Logger } from '@settle/platform';
import { IncomeService } from './income.service';

/**
 * Money other services pay into partner accounts, from their events, exactly once: the inbox drops
 * a redelivered event and the ledger's idempotency key (the payout or settlement id) a re-published
 * one. A payment that can never apply (a settlement of a statement that is not confirmed, a payout
 * id reused with other terms) is dead-lettered at once as `rejected` with the reason; the
 * partition keeps flowing.
 */
@Injectable()
export class IncomeConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly income: IncomeService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.BillingIncome,
      handlers: [
        on(IncentivePayoutReleasedV1, async (event, manager) => {
          const outcome = await this.income.payoutReleased(manager, event.data, event.id);
          this.logger.info({ payout_id: event.data.payout_id, partner_id: event.data.partner_id, method: event.data.method, outcome }, 'incentive payout');
        }),
        on(SplitSettledV1, async (event, manager) => {
          const outcome = await this.income.splitSettled(manager, event.data, event.id);
          this.logger.info({ settlement_id: event.data.settlement_id, partner_id: event.data.partner_id, statement_id: event.data.statement_id, outcome }, 'split settlement');
        }),
      ],
    });
  }
}
