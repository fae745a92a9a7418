/**
 * Every Kafka topic the platform uses, in one place. Names are part of the public contract
 * (other systems consume settlement events): never rename one without a migration plan —
 * add a new topic, dual-publish, then retire the old one.
 *
 * The admin step (`settle topics provision`) creates exactly these topics, each with its
 * dead-letter topic; brokers run with auto-creation off, so a typo fails loudly.
 */
export const Topics = {
  /** Customer association lifecycle: invitations, associations, authorizations. Key: partner id. */
  CustomerEvents: 'settle.customer.events.v1',
  /** Bills, statements, balances, withdrawals. Key: partner id. */
  BillingEvents: 'settle.billing.events.v1',
  /** Usage and consumption records from rating systems. Key: customer id. */
  UsageRecords: 'settle.usage.records.v1',
  /** Incentive notices and payouts. Key: partner id. */
  IncentiveEvents: 'settle.incentive.events.v1',
  /** Invoice lifecycle. Key: partner id. */
  InvoiceEvents: 'settle.invoice.events.v1',
  /** Marketplace orders, refunds and split results. Key: partner id. */
  MarketplaceEvents: 'settle.marketplace.events.v1',
  /** What on-call did with the settle CLI (replays, offset resets, queue actions). Key: the target. */
  OperationsAudit: 'settle.operations.audit.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

export interface TopicDefinition {
  name: TopicName;
  partitions: number;
  /** How long the broker keeps messages; settlement events are kept long enough to replay a month. */
  retentionMs: number;
  description: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const TopicDefinitions: readonly TopicDefinition[] = [
  { name: Topics.CustomerEvents, partitions: 6, retentionMs: 90 * DAY_MS, description: 'Customer association lifecycle' },
  { name: Topics.BillingEvents, partitions: 6, retentionMs: 90 * DAY_MS, description: 'Bills, statements, ledger' },
  { name: Topics.UsageRecords, partitions: 12, retentionMs: 45 * DAY_MS, description: 'Usage and consumption records' },
  { name: Topics.IncentiveEvents, partitions: 6, retentionMs: 90 * DAY_MS, description: 'Incentive notices and payouts' },
  { name: Topics.InvoiceEvents, partitions: 6, retentionMs: 90 * DAY_MS, description: 'Invoice lifecycle' },
  { name: Topics.MarketplaceEvents, partitions: 6, retentionMs: 90 * DAY_MS, description: 'Marketplace orders and splits' },
  // One partition: the audit is read whole, in order, by the CLI before each replay.
  { name: Topics.OperationsAudit, partitions: 1, retentionMs: 400 * DAY_MS, description: 'On-call actions taken with the settle CLI' },
];

/** Dead letters keep long: an operator inspects and replays them, possibly weeks later. */
export const DEAD_LETTER_RETENTION_MS = 180 * DAY_MS;

/** The dead-letter topic of a topic. One per source topic; the consumer group is in a header. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlt`;
}

/**
 * Test runs and side-by-side environments get their own topics through a prefix
 * (`KAFKA_TOPIC_PREFIX`); production runs with none.
 */
export function physicalTopic(topic: string, prefix = ''): string {
  return `${prefix}${topic}`;
}
