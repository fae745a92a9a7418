import { describeServiceMigrations } from '@settle/service-kit/testing';
import { InvoiceService } from './invoice-service';

describeServiceMigrations(InvoiceService);
