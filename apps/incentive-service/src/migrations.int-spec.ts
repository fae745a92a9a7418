import { describeServiceMigrations } from '@settle/service-kit/testing';
import { IncentiveService } from './incentive-service';

describeServiceMigrations(IncentiveService);
