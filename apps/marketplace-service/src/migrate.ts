import 'reflect-metadata';
import { MarketplaceService } from './marketplace-service';

void MarketplaceService.migrate();
