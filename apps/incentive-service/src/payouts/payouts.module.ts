import { Module } from '@nestjs/common';
import { PartnersModule } from '../partners/partners.module';
import { InvoiceReviewsConsumer } from './invoice-reviews.consumer';
import { OperatorPayoutsController, PartnerPayoutsController } from './payouts.controller';
import { PayoutsService } from './payouts.service';

@Module({
  imports: [PartnersModule],
  controllers: [PartnerPayoutsController, OperatorPayoutsController],
  providers: [PayoutsService, InvoiceReviewsConsumer],
})
export class PayoutsModule {}
