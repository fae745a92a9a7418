import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Partner API `quota_status`: 0 normal, 3 invalid (expired), 6 reclaimed. 3 is derived from `expire_at`, never stored. */
export const QuotaStatus = { Normal: 0, Invalid: 3, Reclaimed: 6 } as const;

/** Partner API `quota_type`: 0 voucher quota (代金券额度); 1 (cash coupon quota) is not offered here. */
export const VOUCHER_QUOTA = 0;

/**
 * A voucher quota (代金券额度) a partner holds. A root quota is granted by the platform to a
 * top-level partner; a child quota is issued from its parent quota to a tier-2 reseller. The
 * balance is what is still available; it never goes below zero nor above the value (checked by the
 * database) and is always re-derivable from the quota's records.
 */
@Entity({ name: 'coupon_quotas' })
@Index('coupon_quotas_partner_idx', ['partnerId', 'createdAt'])
@Index('coupon_quotas_parent_idx', ['parentQuotaId'])
@Check('coupon_quotas_balance_within_value', '"balance_minor" >= 0 AND "balance_minor" <= "value_minor"')
export class CouponQuota {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  /** The holder. */
  @Column({ type: 'text' })
  partnerId!: string;

  /** The quota this one was issued from; null for a quota the platform granted. */
  @Column({ type: 'text', nullable: true })
  parentQuotaId!: string | null;

  /** The partner that issued it (holder of the parent quota); null for a granted quota. */
  @Column({ type: 'text', nullable: true })
  issuerPartnerId!: string | null;

  @Column({ type: 'smallint' })
  quotaType!: number;

  @Column({ type: 'text' })
  currency!: string;

  /** The amount put into this quota (granted or issued), in minor units. */
  @Column({ type: 'bigint' })
  valueMinor!: string;

  @Column({ type: 'bigint' })
  balanceMinor!: string;

  /** 0 normal or 6 reclaimed (see QuotaStatus). */
  @Column({ type: 'smallint' })
  status!: number;

  @Column({ type: 'timestamptz' })
  effectiveAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  expireAt!: Date | null;

  @Column({ type: 'text' })
  createdBy!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * Partner API `operation_type` of a quota record: 10 issue, 11 reclaim; 1 marks the platform's grant.
 * 20 and 21 (Settle's) are a partner's own coupons: the quota paid a voucher to a customer, or got
 * a reclaimed voucher's balance back; the quota records API does not list them.
 */
export const QuotaOperation = { Grant: 1, Issue: 10, Reclaim: 11, CouponIssue: 20, CouponReclaim: 21 } as const;

/**
 * One movement of quota, immutable (a database trigger refuses updates and deletes): who moved how
 * much between which quotas, when, and both balances before and after.
 */
@Entity({ name: 'coupon_quota_records' })
@Index('coupon_quota_records_partner_idx', ['partnerId', 'operatedAt'])
@Index('coupon_quota_records_indirect_idx', ['indirectPartnerId', 'operatedAt'])
@Index('coupon_quota_records_quota_idx', ['quotaId'])
@Index('coupon_quota_records_parent_quota_idx', ['parentQuotaId'])
@Check('coupon_quota_records_amount_positive', '"amount_minor" > 0')
export class CouponQuotaRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'smallint' })
  operationType!: number;

  /** The issuing partner (holder of the parent quota); for a grant, the partner granted. */
  @Column({ type: 'text' })
  partnerId!: string;

  /** The tier-2 reseller of an issue or reclaim. */
  @Column({ type: 'text', nullable: true })
  indirectPartnerId!: string | null;

  /** The quota credited by an issue or grant, debited by a reclaim. */
  @Column({ type: 'text' })
  quotaId!: string;

  @Column({ type: 'text', nullable: true })
  parentQuotaId!: string | null;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'bigint' })
  amountMinor!: string;

  @Column({ type: 'bigint' })
  quotaBalanceBeforeMinor!: string;

  @Column({ type: 'bigint' })
  quotaBalanceAfterMinor!: string;

  @Column({ type: 'bigint', nullable: true })
  parentBalanceBeforeMinor!: string | null;

  @Column({ type: 'bigint', nullable: true })
  parentBalanceAfterMinor!: string | null;

  /** Who did it: `partner:<access key>[/<member>]` or `operator:<subject>`. */
  @Column({ type: 'text' })
  operator!: string;

  @Column({ type: 'text', nullable: true })
  remark!: string | null;

  @Column({ type: 'timestamptz' })
  operatedAt!: Date;
}
