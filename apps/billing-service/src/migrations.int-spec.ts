import { describeServiceMigrations } from '@settle/service-kit/testing';
import { BillingService } from './billing-service';

describeServiceMigrations(BillingService);
