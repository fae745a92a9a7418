/**
 * BullMQ queue names. Frozen: jobs waiting in Redis live under the queue name, so renaming a
 * queue strands them. Add a queue, drain the old one, then remove it.
 */
export const Queues = {
  BillGeneration: 'billing.bill-generation',
  Exports: 'billing.exports',
  InvitationExpiry: 'customer.invitation-expiry',
  Notifications: 'customer.notifications',
  InvoiceNotifications: 'invoice.notifications',
  UsageAttribution: 'billing.usage-attribution',
  IncentiveNotices: 'incentive.notices',
  MarketplaceExports: 'marketplace.exports',
} as const;

export type QueueName = (typeof Queues)[keyof typeof Queues];
