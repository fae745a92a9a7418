import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** `usage`: the line of a record; `correction-adjustment`: the difference a late correction books. */
export type RatedLineType = 'usage' | 'correction-adjustment';
export type RatedLineStatus = 'active' | 'cancelled';

/**
 * A bill line: one usage record rated for the partner that owned the customer at the record's
 * time, in the cycle it is booked in. Keyed by (partner, cycle, customer, record) and unique per
 * record, so a re-run never doubles a line. Bill generation reads these.
 */
@Entity({ name: 'rated_lines' })
@Index('rated_lines_key', ['partnerId', 'billCycle', 'customerId', 'recordId'], { unique: true })
@Index('rated_lines_record_key', ['recordId'], { unique: true })
@Index('rated_lines_references_idx', ['referencesRecordId'], { where: 'references_record_id IS NOT NULL' })
export class RatedLine {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  /** The cycle the line is booked in (a late record or correction lands in the next open one). */
  @Column({ type: 'text' })
  billCycle!: string;

  @Column({ type: 'text' })
  customerId!: string;

  /** The record that made this line. */
  @Column({ type: 'text' })
  recordId!: string;

  @Column({ type: 'text' })
  lineType!: RatedLineType;

  /** consumption | refund | adjustment (a correction-adjustment carries its original's kind). */
  @Column({ type: 'text' })
  recordType!: string;

  /** For a correction-adjustment: the original record it corrects. */
  @Column({ type: 'text', nullable: true })
  referencesRecordId!: string | null;

  /** The cycle the usage belongs to (the record's bill_cycle). */
  @Column({ type: 'text' })
  usageCycle!: string;

  @Column({ type: 'text' })
  associationId!: string;

  @Column({ type: 'smallint' })
  associationType!: number;

  @Column({ type: 'text' })
  serviceTypeCode!: string;

  @Column({ type: 'text' })
  resourceTypeCode!: string;

  @Column({ type: 'text' })
  resourceId!: string;

  @Column({ type: 'text' })
  regionCode!: string;

  @Column({ type: 'text' })
  chargeMode!: string;

  @Column({ type: 'numeric' })
  usage!: string;

  @Column({ type: 'integer' })
  usageMeasureId!: number;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'bigint' })
  officialAmountMinor!: string;

  @Column({ type: 'numeric', precision: 7, scale: 6 })
  discountRate!: string;

  @Column({ type: 'bigint' })
  discountAmountMinor!: string;

  @Column({ type: 'bigint' })
  ratedAmountMinor!: string;

  @Column({ type: 'text' })
  status!: RatedLineStatus;

  /** 1 when written; +1 each time a correction re-rates it in place (old values in rated_line_revisions). */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** Every version a line had: what it was, and which record made it so. */
@Entity({ name: 'rated_line_revisions' })
export class RatedLineRevision {
  @PrimaryColumn({ type: 'uuid' })
  lineId!: string;

  @PrimaryColumn({ type: 'integer' })
  revision!: number;

  /** The record that produced this version (the original, then each correction or cancellation). */
  @Column({ type: 'text' })
  recordId!: string;

  @Column({ type: 'bigint' })
  officialAmountMinor!: string;

  @Column({ type: 'numeric', precision: 7, scale: 6 })
  discountRate!: string;

  @Column({ type: 'bigint' })
  discountAmountMinor!: string;

  @Column({ type: 'bigint' })
  ratedAmountMinor!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}
