import { describeServiceMigrations } from '@settle/service-kit/testing';
import { CustomerService } from './customer-service';

// Every customer-service table with a partner_id is under row-level security (no exemptions).
describeServiceMigrations(CustomerService);
