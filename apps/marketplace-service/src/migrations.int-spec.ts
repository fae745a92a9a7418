import { describeServiceMigrations } from '@settle/service-kit/testing';
import { MarketplaceService } from './marketplace-service';

describeServiceMigrations(MarketplaceService);
