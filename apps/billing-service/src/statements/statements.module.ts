import { Module } from '@nestjs/common';
import { OperatorStatementsController, StatementsController } from './statements.controller';
import { StatementsConsumer } from './statements.consumer';
import { StatementsService } from './statements.service';
import { SplitSectionsConsumer } from './split-sections.consumer';
import { SplitSectionsService } from './split-sections.service';

@Module({
  controllers: [StatementsController, OperatorStatementsController],
  providers: [StatementsService, StatementsConsumer, SplitSectionsService, SplitSectionsConsumer],
  exports: [StatementsService],
})
export class StatementsModule {}
