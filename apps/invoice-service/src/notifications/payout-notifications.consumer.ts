import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerGroups, IncentivePayoutPaidV1, IncentivePayoutReleasedV1 } from '@settle/contracts';
import { SERVICE_CONFIG } from '@settle/platform';
import { MessagingRuntime, on } from '@settle/messaging';
import { NotificationsService } from './notifications.service';
import { InvoiceConfig } from '../config';

/**
 * Steps of incentive-service the partner is told about: a payout paid. A bank transfer is paid when
 * the operator records the bank's reference (`payout-paid`); a return to the recharge account and
 * vouchers are complete when released. One notification per payout (its id is the natural key).
 * The deliveries recorded here are enqueued by the sweep (this runs in the consumer's transaction).
 */
@Injectable()
export class PayoutNotificationsConsumer implements OnModuleInit {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: InvoiceConfig,
    private readonly messaging: MessagingRuntime,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    if (!this.config.INVOICE_CONSUMERS_ENABLED) return;
    this.messaging.registerConsumer({
      groupId: ConsumerGroups.InvoiceNotifications,
      handlers: [
        on(IncentivePayoutReleasedV1, async (event, manager) => {
          const d = event.data;
          if (d.method === 'bank-transfer') return;
          await this.notifications.record(manager, {
            partnerId: d.partner_id,
            kind: 'payout-paid',
            sourceKey: d.payout_id,
            occurredAt: new Date(d.released_at),
            params: { payout_id: d.payout_id, period: d.period, amount: d.amount, currency: d.currency, method: d.method, paid_at: d.released_at },
          });
        }),
        on(IncentivePayoutPaidV1, async (event, manager) => {
          const d = event.data;
          await this.notifications.record(manager, {
            partnerId: d.partner_id,
            kind: 'payout-paid',
            sourceKey: d.payout_id,
            occurredAt: new Date(d.paid_at),
            params: { payout_id: d.payout_id, application_id: d.application_id, period: '', amount: d.amount, currency: d.currency, method: 'bank-transfer', paid_at: d.paid_at },
          });
        }),
      ],
    });
  }
}
