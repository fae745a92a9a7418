import { describeServiceMigrations } from '@settle/service-kit/testing';
import { IncentiveService } from './incentive-service';

// notice_run_partners: bookkeeping of notice runs, written and read only by the run's jobs and operators in system scope.
describeServiceMigrations(IncentiveService, { rowSecurityExempt: ['notice_run_partners'] });
