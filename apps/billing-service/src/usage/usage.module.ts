import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { RatingModule } from '../rating/rating.module';
import { UsageAttributionWorker } from './usage-attribution.worker';
import { UsageIngestConsumer } from './usage-ingest.consumer';
import { UsageIngestService } from './usage-ingest.service';
import { UsageController } from './usage.controller';

@Module({
  imports: [RatingModule, CatalogModule],
  controllers: [UsageController],
  providers: [UsageIngestService, UsageIngestConsumer, UsageAttributionWorker],
})
export class UsageModule {}
