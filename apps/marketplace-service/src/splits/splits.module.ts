import { Module } from '@nestjs/common';
import { SplitRulesController } from './split-rules.controller';
import { SplitRulesService } from './split-rules.service';

@Module({ controllers: [SplitRulesController], providers: [SplitRulesService], exports: [SplitRulesService] })
export class SplitsModule {}
