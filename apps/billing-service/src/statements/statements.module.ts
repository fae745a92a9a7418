import { Module } from '@nestjs/common';
import { OperatorStatementsController, StatementsController } from './statements.controller';
import { StatementsService } from './statements.service';

@Module({
  controllers: [StatementsController, OperatorStatementsController],
  providers: [StatementsService],
  exports: [StatementsService],
})
export class StatementsModule {}
