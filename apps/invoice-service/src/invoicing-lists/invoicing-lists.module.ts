import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { PartnersModule } from '../partners/partners.module';
import { InvoicingListsController, OperatorInvoicingListsController } from './invoicing-lists.controller';
import { InvoicingListsService } from './invoicing-lists.service';
import { PayoutApplicationsConsumer } from './payout-applications.consumer';

@Module({
  imports: [PartnersModule, NotificationsModule],
  controllers: [InvoicingListsController, OperatorInvoicingListsController],
  providers: [InvoicingListsService, PayoutApplicationsConsumer],
})
export class InvoicingListsModule {}
