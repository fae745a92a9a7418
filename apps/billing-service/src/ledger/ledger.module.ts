import { Module, OnModuleInit } from '@nestjs/common';
import { ExportSourceRegistry } from '../exports/export-source';
import { PartnersModule } from '../partners/partners.module';
import { OperatorAccountsController, PartnerAccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { AccountChangeRecordsExport, AdjustRecordsExport } from './ledger-exports';
import { LedgerService } from './ledger.service';

@Module({
  imports: [PartnersModule],
  controllers: [PartnerAccountsController, OperatorAccountsController],
  providers: [LedgerService, AccountsService],
  exports: [LedgerService, AccountsService],
})
export class LedgerModule implements OnModuleInit {
  constructor(private readonly exportSources: ExportSourceRegistry) {}

  onModuleInit(): void {
    this.exportSources.register(AdjustRecordsExport);
    this.exportSources.register(AccountChangeRecordsExport);
  }
}
