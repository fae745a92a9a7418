/**
 * Consumer group ids, one per (service, purpose). A group id owns committed offsets:
 * renaming one replays or skips history, so these never change silently.
 */
export const ConsumerGroups = {
  /** billing-service: who owns which customer, in which mode, since when. */
  BillingCustomerOwnership: 'settle.billing.customer-ownership',
  /** customer-service: completes the association of customers created through the partner API. */
  CustomerAssociationCompletion: 'settle.customer.association-completion',
  /** customer-service: revokes a partner's authorizations when its association with the customer ends. */
  CustomerAuthorizationLifecycle: 'settle.customer.authorization-lifecycle',
  /** billing-service: ingests usage records (attributes and rates them) and attributes waiting records when an association arrives. */
  BillingUsageIngest: 'settle.billing.usage-ingest',
  /** billing-service: makes the reconciliation statement of each final bill of a partner in a split program. */
  BillingStatements: 'settle.billing.statements',
  /** billing-service: its projection of partners (kind, tier, parent, level, taxpayer type, certification). */
  BillingPartners: 'settle.billing.partners',
  /** billing-service: money other services pay into partner accounts (incentive payouts, split settlements), as ledger entries. */
  BillingIncome: 'settle.billing.income',
} as const;

export type ConsumerGroupId = (typeof ConsumerGroups)[keyof typeof ConsumerGroups];

export function physicalGroupId(groupId: string, prefix = ''): string {
  return `${prefix}${groupId}`;
}
