import { GatewayRoute, UpstreamService, gatewayRouteOf } from '@settle/contracts';
import { GatewayConfig } from '../config';

export { ROUTES } from '@settle/contracts';
export type { Audience, UpstreamService } from '@settle/contracts';

export interface ResolvedRoute extends GatewayRoute {
  baseUrl: string;
}

export function upstreamUrls(config: GatewayConfig): Record<UpstreamService, string> {
  return {
    'customer-service': config.CUSTOMER_SERVICE_URL,
    'billing-service': config.BILLING_SERVICE_URL,
    'incentive-service': config.INCENTIVE_SERVICE_URL,
    'invoice-service': config.INVOICE_SERVICE_URL,
    'marketplace-service': config.MARKETPLACE_SERVICE_URL,
  };
}

/** The route of a path (the longest matching prefix, on whole segments) with its upstream's URL. */
export function resolveRoute(path: string, urls: Record<UpstreamService, string>): ResolvedRoute | undefined {
  const route = gatewayRouteOf(path);
  return route && { ...route, baseUrl: urls[route.service] };
}
