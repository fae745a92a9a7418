import { describeRouteDeclarations } from '@settle/service-kit/testing';
import { BillingService } from './billing-service';

// The catalog is the platform's reference data: every member of every partner reads it.
describeRouteDeclarations(BillingService, {
  anyMemberRoutes: ['GET /v2/bases/conversions', 'GET /v2/bases/conversions/convert', 'GET /v2/bases/measurements', 'GET /v2/products/service-types'],
});
