import { describeServiceMigrations } from '@settle/service-kit/testing';
import { CustomerService } from './customer-service';

describeServiceMigrations(CustomerService);
