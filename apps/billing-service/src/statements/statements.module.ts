import { Module } from '@nestjs/common';
import { OperatorStatementsController, StatementsController } from './statements.controller';
import { StatementsConsumer } from './statements.consumer';
import { StatementsService } from './statements.service';

@Module({
  controllers: [StatementsController, OperatorStatementsController],
  providers: [StatementsService, StatementsConsumer],
  exports: [StatementsService],
})
export class StatementsModule {}
