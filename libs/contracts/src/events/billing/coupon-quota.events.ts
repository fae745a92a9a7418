import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { AmountSchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';
import { defineEvent } from '../define-event';

/**
 * Voucher (coupon) quota, 代金券额度: money a partner may hand out as vouchers. The platform grants
 * a top-level partner (distributor, tier-1 reseller, solution provider) a quota; a distributor or
 * tier-1 reseller issues parts of it to its tier-2 resellers and reclaims what they have not used.
 * Amounts are decimal strings in `currency` (2 decimals for CNY). Key: the partner that owns the
 * parent quota, so one partner's quota movements stay in order.
 */
const QuotaMovementFields = {
  /** The immutable quota record of this movement. */
  record_id: z.uuid(),
  /** The partner whose quota the amount came from (issue) or went back to (reclaim). */
  partner_id: IdSchema,
  /** The tier-2 reseller that received or gave back the amount. */
  indirect_partner_id: IdSchema,
  /** The tier-2 reseller's quota. */
  quota_id: IdSchema,
  /** The issuing partner's quota. */
  parent_quota_id: IdSchema,
  currency: z.string().length(3),
  amount: AmountSchema,
  quota_balance_after: AmountSchema,
  parent_quota_balance_after: AmountSchema,
  /** Who did it (the member's access key, or an operator). */
  operator: z.string().min(1),
};

/** The platform granted a top-level partner a new voucher quota. */
export const CouponQuotaGrantedV1 = defineEvent({
  name: 'settle.billing.coupon-quota.granted',
  version: 1,
  topic: Topics.BillingEvents,
  producer: 'billing-service',
  description: 'The platform granted a partner a voucher (coupon) quota.',
  schema: z
    .object({
      record_id: z.uuid(),
      partner_id: IdSchema,
      quota_id: IdSchema,
      currency: z.string().length(3),
      amount: AmountSchema,
      effective_time: IsoDateTimeSchema,
      expire_time: IsoDateTimeSchema.nullable(),
      operator: z.string().min(1),
      granted_at: IsoDateTimeSchema,
    })
    .strict(),
});

/** A partner issued part of its voucher quota to one of its tier-2 resellers (a new quota of the reseller). */
export const CouponQuotaIssuedV1 = defineEvent({
  name: 'settle.billing.coupon-quota.issued',
  version: 1,
  topic: Topics.BillingEvents,
  producer: 'billing-service',
  description: 'A distributor or tier-1 reseller issued voucher quota to one of its tier-2 resellers.',
  schema: z.object({ ...QuotaMovementFields, issued_at: IsoDateTimeSchema }).strict(),
});

/** A partner took back unused voucher quota from one of its tier-2 resellers. */
export const CouponQuotaReclaimedV1 = defineEvent({
  name: 'settle.billing.coupon-quota.reclaimed',
  version: 1,
  topic: Topics.BillingEvents,
  producer: 'billing-service',
  description: 'A distributor or tier-1 reseller reclaimed unused voucher quota from one of its tier-2 resellers.',
  schema: z.object({ ...QuotaMovementFields, remark: z.string().max(256).nullable(), reclaimed_at: IsoDateTimeSchema }).strict(),
});
