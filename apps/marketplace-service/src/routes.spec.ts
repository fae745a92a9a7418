import { describeRouteDeclarations } from '@settle/service-kit/testing';
import { MarketplaceService } from './marketplace-service';

describeRouteDeclarations(MarketplaceService, { anyMemberRoutes: [] });
