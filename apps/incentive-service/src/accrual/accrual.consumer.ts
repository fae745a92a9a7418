import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerGroups, ConsumptionAdjustedV1, ConsumptionSummaryV1 } from '@settle/contracts';
import { MessagingRuntime, onBatch } from '@settle/messaging';
import { Money } from '@settle/money';
import { insertEntities } from '@settle/persistence';
import { LOGGER, Logger } from '@settle/platform';
import { randomUUID } from 'node:crypto';
import { Accrual } from './accrual.entity';

/**
 * Accrues billing's consumption summaries and adjustments, a batch at a time: every item becomes
 * an accrual row by one multi-row insert that skips a source already accrued. The inbox makes a
 * redelivery a no-op; the natural key makes a replay of the topic under a new group one too.
 * incentive never reads billing's tables: these events are all it knows of consumption.
 */
@Injectable()
export class AccrualConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.IncentiveEarnings,
      handlers: [
        onBatch(ConsumptionSummaryV1, async (events, m) => {
          const now = new Date();
          const rows: Accrual[] = events.flatMap((e) =>
            e.data.items.map((i) => ({
              id: randomUUID(),
              partnerId: e.data.partner_id,
              customerId: i.customer_id,
              associationType: i.association_type,
              serviceTypeCode: i.service_type_code,
              period: e.data.bill_cycle,
              currency: e.data.currency,
              amountMinor: Money.of(i.eligible_amount, e.data.currency).minor.toString(),
              sourceKind: 'summary' as const,
              sourceRef: `bill:${e.data.bill_id}:${i.customer_id}:${i.association_type}:${i.service_type_code}`,
              billId: e.data.bill_id,
              sourceEventId: e.id,
              noticeId: null,
              accruedAt: now,
            })),
          );
          const written = await insertEntities<Accrual, { id: string }>(m, Accrual, rows, { onConflict: '(source_ref) DO NOTHING', returning: 'id' });
          this.logger.info({ events: events.length, items: rows.length, accrued: written.length }, 'consumption summaries accrued');
        }),
        onBatch(ConsumptionAdjustedV1, async (events, m) => {
          const now = new Date();
          const rows: Accrual[] = events.map((e) => ({
            id: randomUUID(),
            partnerId: e.data.partner_id,
            customerId: e.data.customer_id,
            associationType: e.data.association_type,
            serviceTypeCode: e.data.service_type_code,
            period: e.data.usage_cycle,
            currency: e.data.currency,
            amountMinor: Money.of(e.data.eligible_delta, e.data.currency).minor.toString(),
            sourceKind: 'adjustment' as const,
            sourceRef: `adjustment:${e.data.adjustment_id}`,
            billId: e.data.bill_id,
            sourceEventId: e.id,
            noticeId: null,
            accruedAt: now,
          }));
          const written = await insertEntities<Accrual, { id: string }>(m, Accrual, rows, { onConflict: '(source_ref) DO NOTHING', returning: 'id' });
          this.logger.info({ events: events.length, accrued: written.length }, 'consumption adjustments accrued');
        }),
      ],
    });
  }
}
