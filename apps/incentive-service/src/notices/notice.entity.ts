import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * issued → applied (a payout application holds it) → paid (its payout was released or paid);
 * a notice with a negative total goes issued → carried (into the partner's next notice).
 */
export type NoticeStatus = 'issued' | 'applied' | 'paid' | 'carried';

/**
 * An incentive notice (激励通知): a partner's incentive of one period and currency. One ever per
 * (partner, period, currency); its amounts never change once issued (later changes of the
 * period's eligible amounts become adjustment lines of a later notice).
 */
@Entity({ name: 'notices' })
@Index('notices_key', ['partnerId', 'period', 'currency'], { unique: true })
export class Notice {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  period!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'bigint' })
  totalMinor!: string;

  @Column({ type: 'integer' })
  earnedLineCount!: number;

  @Column({ type: 'integer' })
  adjustmentLineCount!: number;

  @Column({ type: 'text' })
  status!: NoticeStatus;

  @Column({ type: 'uuid' })
  runId!: string;

  @Column({ type: 'timestamptz' })
  issuedAt!: Date;

  /** For a negative notice: the later notice its total was carried into. */
  @Column({ type: 'uuid', nullable: true })
  carriedIntoNoticeId!: string | null;
}
