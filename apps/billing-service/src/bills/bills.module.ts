import { Module } from '@nestjs/common';
import { RatingModule } from '../rating/rating.module';
import { OperatorBillsController, PartnerBillsController } from './bills.controller';
import { BillsService } from './bills.service';
import { BillsWorker } from './bills.worker';

@Module({
  imports: [RatingModule],
  controllers: [OperatorBillsController, PartnerBillsController],
  providers: [BillsService, BillsWorker],
  exports: [BillsService],
})
export class BillsModule {}
