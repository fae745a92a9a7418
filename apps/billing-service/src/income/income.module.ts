import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { IncomeConsumer } from './income.consumer';
import { IncomeService } from './income.service';

/** Incentive payouts and split settlements paid into partner accounts through the ledger. */
@Module({
  imports: [LedgerModule],
  providers: [IncomeService, IncomeConsumer],
})
export class IncomeModule {}
