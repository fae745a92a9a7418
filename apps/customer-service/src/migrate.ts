import 'reflect-metadata';
import { CustomerService } from './customer-service';

void CustomerService.migrate();
