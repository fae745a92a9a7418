import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type AccrualSourceKind = 'summary' | 'adjustment';

/**
 * One eligible amount incentive accrued from billing's events: a customer's consumption of a
 * service type in a mode and period, attributed to a partner as billing attributed it. Unique by
 * its source (`bill:<bill>:<customer>:<mode>:<service type>` or `adjustment:<billing line id>`), so
 * a redelivered or replayed event accrues nothing twice. `notice_id` is set when a notice counts it.
 */
@Entity({ name: 'accruals' })
@Index('accruals_source_key', ['sourceRef'], { unique: true })
@Index('accruals_partner_period_idx', ['partnerId', 'period'])
@Index('accruals_unclaimed_idx', ['partnerId'], { where: 'notice_id IS NULL' })
export class Accrual {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  customerId!: string;

  @Column({ type: 'smallint' })
  associationType!: number;

  @Column({ type: 'text' })
  serviceTypeCode!: string;

  /** The settlement period (billing's usage cycle) the consumption belongs to. */
  @Column({ type: 'text' })
  period!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'bigint' })
  amountMinor!: string;

  @Column({ type: 'text' })
  sourceKind!: AccrualSourceKind;

  @Column({ type: 'text' })
  sourceRef!: string;

  /** The final bill that carried it. */
  @Column({ type: 'uuid' })
  billId!: string;

  @Column({ type: 'uuid' })
  sourceEventId!: string;

  @Column({ type: 'uuid', nullable: true })
  noticeId!: string | null;

  @Column({ type: 'timestamptz' })
  accruedAt!: Date;
}
