import { Module } from '@nestjs/common';
import { OperatorSplitBillsController, SplitBillsController } from './split-bills.controller';
import { SplitBillsService } from './split-bills.service';
import { StatementsConsumer } from './statements.consumer';

@Module({
  controllers: [SplitBillsController, OperatorSplitBillsController],
  providers: [SplitBillsService, StatementsConsumer],
  exports: [SplitBillsService],
})
export class SplitBillsModule {}
