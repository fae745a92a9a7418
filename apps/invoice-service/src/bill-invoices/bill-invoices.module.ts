import { Module } from '@nestjs/common';
import { InvoiceInformationModule } from '../invoice-information/invoice-information.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { BillInvoicesController, OperatorBillInvoicesController } from './bill-invoices.controller';
import { BillInvoicesService } from './bill-invoices.service';
import { BillPaymentsConsumer } from './bill-payments.consumer';

@Module({
  imports: [InvoiceInformationModule, NotificationsModule],
  controllers: [BillInvoicesController, OperatorBillInvoicesController],
  providers: [BillInvoicesService, BillPaymentsConsumer],
})
export class BillInvoicesModule {}
