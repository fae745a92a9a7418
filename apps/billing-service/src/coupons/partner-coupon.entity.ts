import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Coupon status as the partner API shows it: 1 not yet active, 2 usable, 4 expired, 5 reclaimed. Only 2 and 5 are stored; 1 and 4 follow from the dates. */
export const CouponStatus = { NotActive: 1, Usable: 2, Expired: 4, Reclaimed: 5 } as const;

/** coupon_type of the partner API: 1 voucher (代金券), the only kind a partner issues from voucher quota. */
export const VOUCHER_COUPON = 1;

/**
 * A voucher (代金券) a partner issued to one of its customers, paid from the partner's voucher quota.
 * The balance is what the customer has not used; a reclaim takes it back to the quota.
 */
@Entity({ name: 'partner_coupons' })
@Index('partner_coupons_issuer_idx', ['issuerPartnerId', 'createdAt'])
@Index('partner_coupons_customer_idx', ['customerId'])
@Check('partner_coupons_balance_within_face', '"balance_minor" >= 0 AND "balance_minor" <= "face_value_minor"')
export class PartnerCoupon {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  issuerPartnerId!: string;

  @Column({ type: 'text' })
  customerId!: string;

  /** The quota it was paid from (and returns to on reclaim). */
  @Column({ type: 'text' })
  quotaId!: string;

  @Column({ type: 'smallint' })
  couponType!: number;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'bigint' })
  faceValueMinor!: string;

  @Column({ type: 'bigint' })
  balanceMinor!: string;

  /** 2 usable or 5 reclaimed (see CouponStatus). */
  @Column({ type: 'smallint' })
  status!: number;

  @Column({ type: 'timestamptz' })
  effectiveAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  expireAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  memo!: string | null;

  @Column({ type: 'text' })
  createdBy!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
