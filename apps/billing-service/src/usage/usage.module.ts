import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CustomerOwnershipModule } from '../customer-ownership/customer-ownership.module';
import { RatingModule } from '../rating/rating.module';
import { OwnershipEventsConsumer } from './ownership-events.consumer';
import { UsageAttributionWorker } from './usage-attribution.worker';
import { UsageIngestConsumer } from './usage-ingest.consumer';
import { UsageIngestService } from './usage-ingest.service';
import { UsageController } from './usage.controller';

@Module({
  imports: [RatingModule, CatalogModule, CustomerOwnershipModule],
  controllers: [UsageController],
  providers: [UsageIngestService, UsageIngestConsumer, OwnershipEventsConsumer, UsageAttributionWorker],
})
export class UsageModule {}
