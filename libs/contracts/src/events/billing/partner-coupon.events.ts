import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { AmountSchema, IdSchema, IsoDateTimeSchema } from '../common.schemas';
import { defineEvent } from '../define-event';

/**
 * Vouchers (代金券) a partner issues to its own customers from its voucher quota, and takes back.
 * Amounts are decimal strings in `currency`. Key: the issuing partner, so one partner's coupon and
 * quota movements stay in order.
 */
const CouponFields = {
  coupon_id: IdSchema,
  /** The issuing partner, holder of the quota the coupon was paid from. */
  partner_id: IdSchema,
  customer_id: IdSchema,
  quota_id: IdSchema,
  currency: z.string().length(3),
  /** Who did it (the member's access key). */
  operator: z.string().min(1),
};

/** A partner issued a voucher to one of its customers; its quota went down by the face value. */
export const PartnerCouponIssuedV1 = defineEvent({
  name: 'settle.billing.partner-coupon.issued',
  version: 1,
  topic: Topics.BillingEvents,
  producer: 'billing-service',
  description: 'A partner issued a voucher (coupon) to one of its customers from its voucher quota.',
  schema: z
    .object({
      ...CouponFields,
      face_value: AmountSchema,
      quota_balance_after: AmountSchema,
      effective_time: IsoDateTimeSchema,
      expire_time: IsoDateTimeSchema.nullable(),
      issued_at: IsoDateTimeSchema,
    })
    .strict(),
});

/** A partner took back what was left of a voucher; that amount went back to the quota. */
export const PartnerCouponReclaimedV1 = defineEvent({
  name: 'settle.billing.partner-coupon.reclaimed',
  version: 1,
  topic: Topics.BillingEvents,
  producer: 'billing-service',
  description: 'A partner reclaimed the unused balance of a voucher it had issued; the amount returned to its quota.',
  schema: z.object({ ...CouponFields, amount: AmountSchema, quota_balance_after: AmountSchema, reclaimed_at: IsoDateTimeSchema }).strict(),
});
