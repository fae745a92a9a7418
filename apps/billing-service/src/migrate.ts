import 'reflect-metadata';
import { BillingService } from './billing-service';

void BillingService.migrate();
