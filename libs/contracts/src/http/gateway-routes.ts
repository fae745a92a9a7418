/**
 * The gateway's route table: which service answers which public path, and for which audience.
 * A contract of its own: the OpenAPI document lists exactly the routes these prefixes expose.
 */
export type UpstreamService = 'customer-service' | 'billing-service' | 'incentive-service' | 'invoice-service' | 'marketplace-service';
export type Audience = 'partner' | 'operator';

export interface GatewayRoute {
  prefix: string;
  service: UpstreamService;
  audience: Audience;
}

/**
 * Which service answers which path. Partner paths are the provider's partner API paths, so an
 * integration written against it only changes its endpoint; operator paths live under /operator.
 * `/internal/*` is never routed: it exists only between services.
 */
export const ROUTES: readonly GatewayRoute[] = [
  { prefix: '/v2/partners/sub-customers', service: 'customer-service', audience: 'partner' },
  { prefix: '/v2/bases/verificationcode', service: 'customer-service', audience: 'partner' },
  { prefix: '/v2/partners/invitations', service: 'customer-service', audience: 'partner' },
  { prefix: '/v2/partners/members', service: 'customer-service', audience: 'partner' },
  { prefix: '/v2/partners/access-keys', service: 'customer-service', audience: 'partner' },
  { prefix: '/v2/partners/customer-authorizations', service: 'customer-service', audience: 'partner' },
  { prefix: '/v2/partners/coupon-quotas', service: 'billing-service', audience: 'partner' },
  { prefix: '/v2/partners/issued-coupon-quotas', service: 'billing-service', audience: 'partner' },
  { prefix: '/v2/promotions/benefits', service: 'billing-service', audience: 'partner' },
  { prefix: '/v2/bills', service: 'billing-service', audience: 'partner' },
  { prefix: '/v2/accounts', service: 'billing-service', audience: 'partner' },
  { prefix: '/v3/accounts', service: 'billing-service', audience: 'partner' },
  { prefix: '/v2/bases/measurements', service: 'billing-service', audience: 'partner' },
  { prefix: '/v2/bases/conversions', service: 'billing-service', audience: 'partner' },
  { prefix: '/v2/products/service-types', service: 'billing-service', audience: 'partner' },
  { prefix: '/v2/products/incentive-discount-policies', service: 'incentive-service', audience: 'partner' },
  { prefix: '/v2/incentives', service: 'incentive-service', audience: 'partner' },
  { prefix: '/v2/invoices', service: 'invoice-service', audience: 'partner' },
  { prefix: '/v2/marketplace', service: 'marketplace-service', audience: 'partner' },
  { prefix: '/operator/partners', service: 'customer-service', audience: 'operator' },
  { prefix: '/operator/associations', service: 'customer-service', audience: 'operator' },
  { prefix: '/operator/customers', service: 'customer-service', audience: 'operator' },
  { prefix: '/operator/invitations', service: 'customer-service', audience: 'operator' },
  { prefix: '/operator/notifications', service: 'customer-service', audience: 'operator' },
  { prefix: '/operator/secrets', service: 'customer-service', audience: 'operator' },
  /** The provider's customer console acting for a signed-in customer (registration, approvals). */
  { prefix: '/operator/customer-console', service: 'customer-service', audience: 'operator' },
  { prefix: '/operator/billing', service: 'billing-service', audience: 'operator' },
  { prefix: '/operator/incentives', service: 'incentive-service', audience: 'operator' },
  { prefix: '/operator/invoices', service: 'invoice-service', audience: 'operator' },
  { prefix: '/operator/marketplace', service: 'marketplace-service', audience: 'operator' },
  /** Each service's outbox, for on-call (`settle outbox`). */
  { prefix: '/operator/outbox/customer-service', service: 'customer-service', audience: 'operator' },
  { prefix: '/operator/outbox/billing-service', service: 'billing-service', audience: 'operator' },
  { prefix: '/operator/outbox/incentive-service', service: 'incentive-service', audience: 'operator' },
  { prefix: '/operator/outbox/invoice-service', service: 'invoice-service', audience: 'operator' },
  { prefix: '/operator/outbox/marketplace-service', service: 'marketplace-service', audience: 'operator' },
];

/** The route of a path: the longest matching prefix, matched on whole path segments. */
export function gatewayRouteOf(path: string): GatewayRoute | undefined {
  let best: GatewayRoute | undefined;
  for (const route of ROUTES) {
    const matches = path === route.prefix || path.startsWith(`${route.prefix}/`);
    if (matches && (!best || route.prefix.length > best.prefix.length)) best = route;
  }
  return best;
}
