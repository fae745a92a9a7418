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
  /** incentive-service: the eligible amounts billing publishes per partner, customer, mode, service type and cycle. */
  IncentiveEarnings: 'settle.incentive.earnings',
  /** incentive-service: its projection of partners (kind, level, taxpayer type, certification). */
  IncentivePartners: 'settle.incentive.partners',
  /** incentive-service: invoice reviews that release payouts waiting for an invoice. */
  IncentiveInvoiceReviews: 'settle.incentive.invoice-reviews',
  /** invoice-service: payout applications that need an invoice open an invoicing list. */
  InvoicePayoutApplications: 'settle.invoice.payout-applications',
  /** invoice-service: its projection of partners (certification, taxpayer type). */
  InvoicePartners: 'settle.invoice.partners',
  /** invoice-service: steps of other services it notifies partners about (payouts paid, bills). */
  InvoiceNotifications: 'settle.invoice.notifications',
  /** invoice-service: payments of partner bills (what a partner may request bill invoices for). */
  InvoiceBillPayments: 'settle.invoice.bill-payments',
  /** marketplace-service: paid orders and refunds. */
  MarketplaceOrders: 'settle.marketplace.orders',
  /** marketplace-service: confirmed reconciliation statements that settle a split bill. */
  MarketplaceStatements: 'settle.marketplace.statements',
  /** marketplace-service: its projection of partners (kind, program membership). */
  MarketplacePartners: 'settle.marketplace.partners',
  /** billing-service: marketplace split bills that enter a partner's reconciliation statement. */
  BillingSplitBills: 'settle.billing.split-bills',
} as const;

export type ConsumerGroupId = (typeof ConsumerGroups)[keyof typeof ConsumerGroups];

export function physicalGroupId(groupId: string, prefix = ''): string {
  return `${prefix}${groupId}`;
}
