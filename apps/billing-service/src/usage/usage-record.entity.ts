import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type UsageRecordStatus = 'unattributed' | 'rated';

/**
 * Every usage record billing accepted, as received (record_id is the producer's idempotency key),
 * with where it stands: `unattributed` until billing knows the customer's partner at occurred_at,
 * then `rated` (its line, or its effect on the original's line, is written).
 */
@Entity({ name: 'usage_records' })
// Partial: only waiting records and corrections are looked up this way (the ingest path skips both for the rest).
@Index('usage_records_waiting_idx', ['customerId', 'receivedAt'], { where: `status = 'unattributed'` })
@Index('usage_records_corrects_idx', ['correctsRecordId'], { where: 'corrects_record_id IS NOT NULL' })
export class UsageRecord {
  @PrimaryColumn({ type: 'text' })
  recordId!: string;

  @Column({ type: 'text' })
  customerId!: string;

  @Column({ type: 'text' })
  serviceTypeCode!: string;

  @Column({ type: 'text' })
  resourceTypeCode!: string;

  @Column({ type: 'text' })
  resourceId!: string;

  @Column({ type: 'text' })
  regionCode!: string;

  /** Exact decimal quantity. */
  @Column({ type: 'numeric' })
  usage!: string;

  @Column({ type: 'integer' })
  usageMeasureId!: number;

  @Column({ type: 'text' })
  chargeMode!: string;

  @Column({ type: 'text' })
  recordType!: string;

  /** Minor units of `currency`, as the record states it (signed only for adjustments). */
  @Column({ type: 'bigint' })
  officialAmountMinor!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'text' })
  billCycle!: string;

  @Column({ type: 'text', nullable: true })
  correctsRecordId!: string | null;

  @Column({ type: 'text' })
  status!: UsageRecordStatus;

  @Column({ type: 'text', nullable: true })
  partnerId!: string | null;

  @Column({ type: 'text', nullable: true })
  associationId!: string | null;

  @Column({ type: 'smallint', nullable: true })
  associationType!: number | null;

  /** `kafka` or `http` (batch backfill). */
  @Column({ type: 'text' })
  source!: string;

  /** The CloudEvents id it came in, for Kafka records. */
  @Column({ type: 'text', nullable: true })
  sourceEventId!: string | null;

  @Column({ type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  ratedAt!: Date | null;
}
