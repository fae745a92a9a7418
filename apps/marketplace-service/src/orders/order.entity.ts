import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ReferralRejection } from '../referrals/referral-token';

/** none: no token; attributed: a valid token named the partner; rejected: a token that did not verify (reason kept). */
export type ReferralStatus = 'none' | 'attributed' | 'rejected';

/**
 * A paid marketplace order and its split (minor units; platform + seller + partner = amount).
 * `billCycle` is the cycle of the partner's split bill its line lands in; `refundedMinor` the sum
 * of its refunds so far (never more than the amount).
 */
@Entity({ name: 'orders' })
@Index('orders_partner_cycle_idx', ['partnerId', 'currency', 'billCycle'], { where: 'partner_id IS NOT NULL' })
export class Order {
  @PrimaryColumn({ type: 'text' })
  orderId!: string;

  @Column({ type: 'text' })
  productId!: string;

  @Column({ type: 'text' })
  customerId!: string;

  @Column({ type: 'bigint' })
  amountMinor!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'timestamptz' })
  paidAt!: Date;

  /** The referring partner, when a valid referral token came with the order. */
  @Column({ type: 'text', nullable: true })
  partnerId!: string | null;

  @Column({ type: 'text' })
  referralStatus!: ReferralStatus;

  @Column({ type: 'text', nullable: true })
  referralRejection!: ReferralRejection | null;

  @Column({ type: 'text', nullable: true })
  referralKid!: string | null;

  @Column({ type: 'uuid' })
  ruleId!: string;

  @Column({ type: 'bigint' })
  platformMinor!: string;

  @Column({ type: 'bigint' })
  sellerMinor!: string;

  @Column({ type: 'bigint' })
  partnerMinor!: string;

  @Column({ type: 'bigint' })
  refundedMinor!: string;

  @Column({ type: 'text' })
  billCycle!: string;

  @Column({ type: 'uuid', nullable: true })
  splitBillId!: string | null;

  /** kafka | http */
  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'uuid', nullable: true })
  sourceEventId!: string | null;

  @Column({ type: 'timestamptz' })
  receivedAt!: Date;
}
