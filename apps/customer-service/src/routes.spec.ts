import { describeRouteDeclarations } from '@settle/service-kit/testing';
import { CustomerService } from './customer-service';

describeRouteDeclarations(CustomerService, { anyMemberRoutes: ['GET /v2/partners/members/me'] });
