import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A refund of an order and the reversal of each party's share (negative minor units). */
@Entity({ name: 'refunds' })
@Index('refunds_order_idx', ['orderId'])
@Index('refunds_partner_cycle_idx', ['partnerId', 'currency', 'billCycle'], { where: 'partner_id IS NOT NULL' })
export class Refund {
  @PrimaryColumn({ type: 'text' })
  refundId!: string;

  @Column({ type: 'text' })
  orderId!: string;

  @Column({ type: 'text', nullable: true })
  partnerId!: string | null;

  @Column({ type: 'bigint' })
  amountMinor!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'timestamptz' })
  refundedAt!: Date;

  @Column({ type: 'bigint' })
  platformMinor!: string;

  @Column({ type: 'bigint' })
  sellerMinor!: string;

  @Column({ type: 'bigint' })
  partnerMinor!: string;

  /** The cycle of the split bill the reversal lands in: a refund after its order's bill was issued goes to a later one. */
  @Column({ type: 'text' })
  billCycle!: string;

  @Column({ type: 'uuid', nullable: true })
  splitBillId!: string | null;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'uuid', nullable: true })
  sourceEventId!: string | null;

  @Column({ type: 'timestamptz' })
  receivedAt!: Date;
}
