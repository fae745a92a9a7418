import type { CatalogEventType } from '../events/event-catalog';
import type { ProducerService } from '../events/define-event';
import { ConsumerGroupId, ConsumerGroups } from './consumer-groups';

/** What one consumer group reads: the service that runs it and the event types it handles (their topics follow from the catalog). */
export interface ConsumerGroupSubscription {
  service: Exclude<ProducerService, 'settle-cli'>;
  /** The event types its `EventConsumer` registers with `on`/`onBatch`; other types on the same topics are skipped. */
  events: readonly CatalogEventType[];
}

/**
 * Which consumer group reads which events, as the services register them
 * (`registerConsumer({ groupId: ConsumerGroups.X, handlers: [on(...), onBatch(...)] })`).
 * Documentation for integrators (the AsyncAPI receive operations and docs/events/README.md are
 * generated from it); keep it in step when a consumer gains or loses a handler.
 */
export const ConsumerGroupSubscriptions: Readonly<Record<ConsumerGroupId, ConsumerGroupSubscription>> = {
  [ConsumerGroups.BillingCustomerOwnership]: {
    service: 'billing-service',
    events: ['settle.customer.associated.v1', 'settle.customer.association-ended.v1', 'settle.customer.account-manager-assigned.v1'],
  },
  [ConsumerGroups.CustomerAssociationCompletion]: { service: 'customer-service', events: ['settle.customer.created.v1'] },
  [ConsumerGroups.CustomerAuthorizationLifecycle]: { service: 'customer-service', events: ['settle.customer.association-ended.v1'] },
  [ConsumerGroups.BillingUsageIngest]: { service: 'billing-service', events: ['settle.usage.record.v1'] },
  [ConsumerGroups.BillingStatements]: { service: 'billing-service', events: ['settle.billing.bill.generated.v1'] },
  [ConsumerGroups.BillingPartners]: { service: 'billing-service', events: ['settle.customer.partner.registered.v1', 'settle.customer.partner.profile-changed.v1'] },
  [ConsumerGroups.BillingIncome]: { service: 'billing-service', events: ['settle.incentive.payout-released.v1', 'settle.marketplace.split-settled.v1'] },
  [ConsumerGroups.IncentiveEarnings]: { service: 'incentive-service', events: ['settle.billing.consumption-summary.v1', 'settle.billing.consumption-adjusted.v1'] },
  [ConsumerGroups.IncentivePartners]: { service: 'incentive-service', events: ['settle.customer.partner.registered.v1', 'settle.customer.partner.profile-changed.v1'] },
  [ConsumerGroups.IncentiveInvoiceReviews]: { service: 'incentive-service', events: ['settle.invoice.approved.v1', 'settle.invoice.rejected.v1'] },
  [ConsumerGroups.InvoicePayoutApplications]: { service: 'invoice-service', events: ['settle.incentive.payout-applied.v1'] },
  [ConsumerGroups.InvoicePartners]: { service: 'invoice-service', events: ['settle.customer.partner.registered.v1', 'settle.customer.partner.profile-changed.v1'] },
  [ConsumerGroups.InvoiceNotifications]: { service: 'invoice-service', events: ['settle.incentive.payout-released.v1', 'settle.incentive.payout-paid.v1'] },
  [ConsumerGroups.InvoiceBillPayments]: { service: 'invoice-service', events: ['settle.billing.bill-payment.received.v1'] },
  [ConsumerGroups.MarketplaceOrders]: { service: 'marketplace-service', events: ['settle.marketplace.order-paid.v1', 'settle.marketplace.order-refunded.v1'] },
  [ConsumerGroups.MarketplaceStatements]: { service: 'marketplace-service', events: ['settle.billing.statement.split-section-attached.v1', 'settle.billing.statement.confirmed.v1'] },
  [ConsumerGroups.MarketplacePartners]: { service: 'marketplace-service', events: ['settle.customer.partner.registered.v1', 'settle.customer.partner.profile-changed.v1'] },
  [ConsumerGroups.BillingSplitBills]: { service: 'billing-service', events: ['settle.marketplace.split-bill.issued.v1', 'settle.billing.statement.generated.v1'] },
};
