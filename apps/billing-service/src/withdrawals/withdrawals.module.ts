import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { OperatorWithdrawalsController, WithdrawalsController } from './withdrawals.controller';
import { WithdrawalsService } from './withdrawals.service';

@Module({
  imports: [LedgerModule],
  controllers: [WithdrawalsController, OperatorWithdrawalsController],
  providers: [WithdrawalsService],
})
export class WithdrawalsModule {}
