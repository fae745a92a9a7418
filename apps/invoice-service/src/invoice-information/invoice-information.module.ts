import { Module } from '@nestjs/common';
import { InvoiceInformationController, OperatorInvoiceInformationController } from './invoice-information.controller';
import { InvoiceInformationService } from './invoice-information.service';

@Module({ controllers: [InvoiceInformationController, OperatorInvoiceInformationController], providers: [InvoiceInformationService], exports: [InvoiceInformationService] })
export class InvoiceInformationModule {}
