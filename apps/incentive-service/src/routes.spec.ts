import { describeRouteDeclarations } from '@settle/service-kit/testing';
import { IncentiveService } from './incentive-service';

describeRouteDeclarations(IncentiveService, { anyMemberRoutes: [] });
