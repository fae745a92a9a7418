import { Module, OnModuleInit } from '@nestjs/common';
import { FanOutBillRunJob, GeneratePartnerBillJob, ScheduledBillRunJob, SweepBillRunsJob } from '@settle/contracts';
import { provideJobQueues } from '@settle/platform';
import { ExportSourceRegistry } from '../exports/export-source';
import { PartnersModule } from '../partners/partners.module';
import { RatingModule } from '../rating/rating.module';
import { BillPdfExport } from './bill-pdf.source';
import { OperatorBillsController, PartnerBillsController } from './bills.controller';
import { BillsService } from './bills.service';
import { BillsWorker } from './bills.worker';

@Module({
  imports: [RatingModule, PartnersModule],
  controllers: [OperatorBillsController, PartnerBillsController],
  providers: [BillsService, BillsWorker, ...provideJobQueues(FanOutBillRunJob, GeneratePartnerBillJob, ScheduledBillRunJob, SweepBillRunsJob)],
  exports: [BillsService],
})
export class BillsModule implements OnModuleInit {
  constructor(private readonly exportSources: ExportSourceRegistry) {}

  onModuleInit(): void {
    this.exportSources.register(BillPdfExport);
  }
}
