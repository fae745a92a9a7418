import { describeRouteDeclarations } from '@settle/service-kit/testing';
import { InvoiceService } from './invoice-service';

describeRouteDeclarations(InvoiceService, { anyMemberRoutes: [] });
