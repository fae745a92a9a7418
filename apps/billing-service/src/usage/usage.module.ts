import { Module } from '@nestjs/common';
import { RatingModule } from '../rating/rating.module';
import { UsageAttributionWorker } from './usage-attribution.worker';
import { UsageIngestConsumer } from './usage-ingest.consumer';
import { UsageIngestService } from './usage-ingest.service';
import { UsageController } from './usage.controller';

@Module({
  imports: [RatingModule],
  controllers: [UsageController],
  providers: [UsageIngestService, UsageIngestConsumer, UsageAttributionWorker],
})
export class UsageModule {}
