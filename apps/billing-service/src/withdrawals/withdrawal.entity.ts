import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type WithdrawalStatus = 'applied' | 'approved' | 'rejected' | 'paid';

/**
 * A withdrawal application (提现). The amount moves from the partner's cash account to its
 * withdrawal-hold account when applied (so it cannot be spent twice), back when rejected, and out
 * to the platform's payout account when paid. A rejected one can be removed from the partner's list.
 */
@Entity({ name: 'withdrawals' })
@Index('withdrawals_partner_idx', ['partnerId', 'appliedAt'])
@Index('withdrawals_request_key', ['partnerId', 'requestId'], { unique: true })
export class Withdrawal {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  /** The caller's request id: applying twice with it is one application. */
  @Column({ type: 'text' })
  requestId!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'bigint' })
  amountMinor!: string;

  @Column({ type: 'text' })
  status!: WithdrawalStatus;

  @Column({ type: 'text', nullable: true })
  remark!: string | null;

  @Column({ type: 'text', nullable: true })
  rejectReason!: string | null;

  @Column({ type: 'uuid' })
  holdEntryId!: string;

  @Column({ type: 'uuid', nullable: true })
  settleEntryId!: string | null;

  @Column({ type: 'timestamptz' })
  appliedAt!: Date;

  @Column({ type: 'text' })
  appliedBy!: string;

  @Column({ type: 'timestamptz', nullable: true })
  reviewedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  reviewedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  paidAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  paidBy!: string | null;

  /** Set when the partner removes a rejected application from its list (the row and its audit stay). */
  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
