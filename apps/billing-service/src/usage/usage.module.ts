import { Module } from '@nestjs/common';
import { AttributePendingUsageJob } from '@settle/contracts';
import { provideJobQueues } from '@settle/platform';
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
  providers: [UsageIngestService, UsageIngestConsumer, OwnershipEventsConsumer, UsageAttributionWorker, ...provideJobQueues(AttributePendingUsageJob)],
})
export class UsageModule {}
