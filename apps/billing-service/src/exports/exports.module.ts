import { Global, Module, OnModuleInit } from '@nestjs/common';
import { GenerateExportJob, SweepExportsJob } from '@settle/contracts';
import { provideJobQueues } from '@settle/platform';
import { ExportSourceRegistry } from './export-source';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';
import { ExportsWorker } from './exports.worker';
import { BillDetailsExport } from './sources/bill-details.source';

/**
 * Asynchronous exports. Global so that every feature module can inject the ExportSourceRegistry and
 * register its own export types when it starts.
 */
@Global()
@Module({
  controllers: [ExportsController],
  providers: [ExportSourceRegistry, ExportsService, ExportsWorker, ...provideJobQueues(GenerateExportJob, SweepExportsJob)],
  exports: [ExportSourceRegistry, ExportsService],
})
export class ExportsModule implements OnModuleInit {
  constructor(private readonly sources: ExportSourceRegistry) {}

  onModuleInit(): void {
    this.sources.register(BillDetailsExport);
  }
}
