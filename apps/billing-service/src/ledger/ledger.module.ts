import { Module } from '@nestjs/common';
import { OperatorAccountsController, PartnerAccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { LedgerService } from './ledger.service';

@Module({
  controllers: [PartnerAccountsController, OperatorAccountsController],
  providers: [LedgerService, AccountsService],
  exports: [LedgerService, AccountsService],
})
export class LedgerModule {}
