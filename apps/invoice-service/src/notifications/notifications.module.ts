import { Module } from '@nestjs/common';
import { DeliverInvoiceNotificationJob, SweepInvoiceNotificationsJob } from '@settle/contracts';
import { provideJobQueues } from '@settle/platform';
import { MessageSettingsController, NotificationsController, OperatorNotificationsController, WebhookEndpointsController } from './notifications.controller';
import { NotificationSettingsService } from './notification-settings.service';
import { NotificationsService } from './notifications.service';
import { NotificationsWorker } from './notifications.worker';
import { PayoutNotificationsConsumer } from './payout-notifications.consumer';

@Module({
  controllers: [MessageSettingsController, WebhookEndpointsController, NotificationsController, OperatorNotificationsController],
  providers: [NotificationsService, NotificationSettingsService, NotificationsWorker, PayoutNotificationsConsumer, ...provideJobQueues(DeliverInvoiceNotificationJob, SweepInvoiceNotificationsJob)],
  exports: [NotificationsService],
})
export class NotificationsModule {}
