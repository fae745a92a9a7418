import { Module } from '@nestjs/common';
import { GenerateSplitBillExportJob, SweepSplitBillExportsJob } from '@settle/contracts';
import { provideJobQueues } from '@settle/platform';
import { SplitBillsModule } from '../split-bills/split-bills.module';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';
import { ExportsWorker } from './exports.worker';

@Module({
  imports: [SplitBillsModule],
  controllers: [ExportsController],
  providers: [ExportsService, ExportsWorker, ...provideJobQueues(GenerateSplitBillExportJob, SweepSplitBillExportsJob)],
})
export class ExportsModule {}
