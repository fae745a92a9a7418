import 'reflect-metadata';
import { IncentiveService } from './incentive-service';

void IncentiveService.main();
