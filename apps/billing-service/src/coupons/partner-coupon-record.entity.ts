import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** operation_type of a coupon record (the partner API's): 1 issued, 2 reclaimed by hand. */
export const CouponOperation = { Issue: 1, Reclaim: 2 } as const;

/** One issue or reclaim of a partner coupon, immutable once written. */
@Entity({ name: 'partner_coupon_records' })
@Index('partner_coupon_records_issuer_idx', ['issuerPartnerId', 'operatedAt'])
@Index('partner_coupon_records_coupon_idx', ['couponId'])
@Check('partner_coupon_records_amount_positive', '"amount_minor" > 0')
export class PartnerCouponRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'smallint' })
  operationType!: number;

  @Column({ type: 'text' })
  issuerPartnerId!: string;

  @Column({ type: 'text' })
  couponId!: string;

  @Column({ type: 'text' })
  quotaId!: string;

  @Column({ type: 'text' })
  customerId!: string;

  @Column({ type: 'text' })
  currency!: string;

  /** The face value issued, or the amount taken back. */
  @Column({ type: 'bigint' })
  amountMinor!: string;

  @Column({ type: 'text' })
  operator!: string;

  @Column({ type: 'text', nullable: true })
  remark!: string | null;

  @Column({ type: 'timestamptz' })
  operatedAt!: Date;
}
