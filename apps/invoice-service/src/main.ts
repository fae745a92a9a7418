import 'reflect-metadata';
import { InvoiceService } from './invoice-service';

void InvoiceService.main();
