import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerGroups, OrderPaidV1, OrderRefundedV1 } from '@settle/contracts';
import { MessagingRuntime, onBatch } from '@settle/messaging';
import { SERVICE_CONFIG } from '@settle/platform';
import { MarketplaceConfig } from '../config';
import { OrdersIngestService } from './orders-ingest.service';

/**
 * Paid orders and refunds from Kafka, a batch per transaction, exactly once (inbox + order_id /
 * refund_id keys). One that breaks the contract is dead-lettered at once by the consumer; one that
 * can never apply (unknown product, no split rule, a refund beyond its order) is dead-lettered as
 * `rejected` with the reason while the rest of its batch is booked; a refund whose order has not
 * arrived fails its batch, is isolated, retried and then dead-lettered with the reason.
 */
@Injectable()
export class OrdersConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly orders: OrdersIngestService,
    @Inject(SERVICE_CONFIG) private readonly config: MarketplaceConfig,
  ) {}

  onModuleInit(): void {
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.MarketplaceOrders,
      maxBatchSize: this.config.MARKETPLACE_ORDERS_BATCH_SIZE,
      handlers: [
        onBatch(OrderPaidV1, async (events, manager, context) => {
          const outcomes = await this.orders.ingestOrders(manager, events.map((e) => ({ data: e.data, source: { kind: 'kafka' as const, eventId: e.id } })));
          outcomes.forEach((outcome, i) => {
            if (typeof outcome === 'object') context.reject(events[i], outcome.rejected);
          });
        }),
        onBatch(OrderRefundedV1, async (events, manager, context) => {
          const outcomes = await this.orders.ingestRefunds(manager, events.map((e) => ({ data: e.data, source: { kind: 'kafka' as const, eventId: e.id } })));
          outcomes.forEach((outcome, i) => {
            if (typeof outcome === 'object') context.reject(events[i], outcome.rejected);
          });
        }),
      ],
    });
  }
}
