import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequirePermission, scopeOf } from '@settle/auth';
import { ApiAmount, ApiCurrency, ApiTimestamp, ApiTotalCount, IdSchema, IsoDateTimeSchema } from '@settle/contracts';
import { Money } from '@settle/money';
import { ApiRoute, ValidBody, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { QUOTA_CURRENCY, QuotaErrors } from '../coupon-quotas/coupon-quotas.service';
import { PartnerCoupon } from './partner-coupon.entity';
import { PartnerCouponRecord } from './partner-coupon-record.entity';
import { PartnerCouponsService, shownCouponStatus } from './partner-coupons.service';

/** A face value as the SDK sends it (BigDecimal: a JSON number or decimal string), > 0, at most 2 decimals; never through a float. */
const FaceValue = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .refine((v) => /^\d{1,11}(\.\d{1,2})?$/.test(v), { message: 'must be an amount in yuan with at most 2 decimals, such as "50.00"' })
  .transform((v) => Money.of(v, QUOTA_CURRENCY))
  .refine((m) => m.isPositive(), { message: 'must be greater than 0' });

const Offset = z.coerce.number().int().min(0).max(1_000_000_000).nullish().transform((v) => v ?? 0);
const Limit = z.coerce.number().int().min(1).max(100).nullish().transform((v) => v ?? 10);
const distinct = (ids: string[]) => new Set(ids).size === ids.length;
/** A query list as the SDK writes it: the parameter repeated (`a=1&a=2`), or once. */
const list = <T extends z.ZodType>(item: T) => z.union([item.transform((v) => [v]), z.array(item)]);
/** Settle's partners issue no cross-tier coupons: a tier-2 reseller's are its own calls. */
const NoIndirect = z.undefined({ message: "is not supported: a tier-2 reseller's coupons are managed with its own keys" }).optional();

/** CreatePartnerCouponsReq. Use limits (cloud_service_types, product_ids) are not offered: the voucher applies to anything. */
const IssueBody = z
  .object({
    quota_id: IdSchema,
    customer_ids: z.array(IdSchema).min(1).max(100).refine(distinct, { message: 'must not repeat a customer' }),
    face_value: FaceValue,
    valid_time: IsoDateTimeSchema.nullish(),
    expire_time: IsoDateTimeSchema.nullish(),
    cloud_service_types: z.array(z.string()).max(0, 'use limits are not supported: leave it empty').nullish(),
    product_ids: z.array(z.string()).max(0, 'use limits are not supported: leave it empty').nullish(),
    memo: z.string().max(256).nullish(),
    indirect_partner_id: NoIndirect,
  })
  .strict();
const ReclaimBody = z.object({ coupon_id: IdSchema, indirect_partner_id: NoIndirect }).strict();
const Status = z.coerce.number().int().min(1).max(5).refine((s) => s !== 3, { message: '3 (used) is not tracked: Settle does not see voucher use' });
const IssuedQuery = z
  .object({ coupon_id: IdSchema.optional(), customer_id: IdSchema.optional(), coupon_type: z.literal('1').optional(), status: Status.optional(), offset: Offset, limit: Limit, indirect_partner_id: NoIndirect })
  .strict();
const RecordsQuery = z
  .object({
    operation_types: list(z.enum(['1', '2'])).optional(),
    quota_id: IdSchema.optional(),
    quota_type: z.literal('0').optional(),
    coupon_ids: list(IdSchema).optional(),
    customer_id: IdSchema.optional(),
    result: z.literal('0').optional(),
    offset: Offset,
    limit: Limit,
    indirect_partner_id: NoIndirect,
  })
  .strict();
const CustomerCouponsQuery = z
  .object({ coupon_id: IdSchema.optional(), coupon_type: z.literal('1').optional(), status: Status.optional(), source_id: IdSchema.optional(), offset: Offset, limit: Limit, indirect_partner_id: NoIndirect })
  .strict();

const amount = (minor: string) => Money.fromMinor(minor, QUOTA_CURRENCY).toString();
const utc = (at: Date | null) => (at ? at.toISOString().replace(/\.\d{3}Z$/, 'Z') : null);

const CouponStatusCode = z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(5)]).describe('1 not yet active, 2 usable, 4 expired, 5 reclaimed');
const CommonCouponFields = {
  coupon_id: z.string(),
  status: CouponStatusCode,
  customer_id: z.string(),
  coupon_type: z.literal(1).describe('1 voucher'),
  measure_id: z.literal(1).describe('1 yuan'),
  expire_time: ApiTimestamp.nullable().describe('null: never expires'),
  create_time: ApiTimestamp,
  media_type: z.literal(1),
  fetch_method: z.literal(3),
  use_limits: z.array(z.never()).describe('Always empty: the voucher applies to anything'),
  is_frozen: z.literal('0'),
};
const IssueResponse = z.object({
  error_details: z.array(z.object({ id: z.string().describe('The refused customer'), error_code: z.literal('CBC.0101'), error_msg: z.string() })).describe('The customers that are not the caller\'s now: they get nothing'),
  coupon_infos: z.array(z.object({ id: z.string().describe('The customer'), coupon_id: z.string() })),
});
const IssuedResponse = z.object({
  total_count: ApiTotalCount,
  user_coupons: z.array(
    z.object({
      ...CommonCouponFields,
      face_value: ApiAmount,
      balance: ApiAmount.describe('What the customer has not used'),
      effective_time: ApiTimestamp,
      quota_id: z.string().describe('The voucher quota it was paid from (not in the public API)'),
      currency: ApiCurrency,
      memo: z.string().nullable(),
    }),
  ),
});
const ReclaimResponse = z.object({
  coupon_id: z.string(),
  reclaimed_amount: ApiAmount.describe('What the voucher had left, back in the quota that paid it'),
  quota_balance: ApiAmount.describe('That quota\'s balance after (0 when nothing came back)'),
});
const RecordsResponse = z.object({
  total_count: ApiTotalCount,
  records: z.array(
    z.object({
      id: z.string(),
      operation_type: z.enum(['1', '2']).describe('1 issued, 2 reclaimed'),
      quota_id: z.string(),
      quota_type: z.literal(0).describe('0 voucher quota'),
      coupon_id: z.string(),
      customer_id: z.string(),
      operation_amount: ApiAmount.describe('The face value issued or the amount taken back, in yuan'),
      operation_time: ApiTimestamp,
      result: z.literal('0').describe('0 success'),
      remark: z.string().nullable(),
    }),
  ),
});
const CustomerCouponsResponse = z.object({
  count: ApiTotalCount,
  user_coupons: z.array(
    z.object({
      ...CommonCouponFields,
      face_value: z.number().describe('The SDK reads a Double: the amount in yuan, exact for 2 decimals below 10^11'),
      balance: z.number().describe('What the customer has not used, as face_value'),
      currency: ApiCurrency,
      valid_time: ApiTimestamp,
      coupon_version: z.literal(2),
      source_id: z.string().describe('The issuing partner: the caller'),
    }),
  ),
});
/** What refuses a whole issue: the quota that pays it. */
const QuotaRefusals = [
  { status: 400, code: QuotaErrors.QuotaNotFound, when: 'the quota does not exist or is not the caller\'s' },
  { status: 400, code: QuotaErrors.InsufficientQuota, when: 'the quota holds less than face_value times the accepted customers (nothing is issued)' },
  { status: 400, code: QuotaErrors.QuotaStatusForbids, when: 'the quota\'s status is not normal (0)' },
  { status: 400, code: QuotaErrors.QuotaNotInEffect, when: 'the quota is not in effect yet or has expired' },
];

/** IQueryUserPartnerCouponsResultV2: a voucher the partner issued; amounts are decimal strings (the SDK's BigDecimal). */
function partnerCouponView(c: PartnerCoupon, now: Date) {
  return {
    coupon_id: c.id,
    status: shownCouponStatus(c, now),
    customer_id: c.customerId,
    coupon_type: c.couponType,
    measure_id: 1,
    face_value: amount(c.faceValueMinor),
    balance: amount(c.balanceMinor),
    effective_time: utc(c.effectiveAt),
    expire_time: utc(c.expireAt),
    create_time: utc(c.createdAt),
    media_type: 1,
    fetch_method: 3,
    use_limits: [] as never[],
    is_frozen: '0',
    /** Not in the public API: the quota it was paid from, the currency and the memo. */
    quota_id: c.quotaId,
    currency: c.currency,
    memo: c.memo,
  };
}

/**
 * IQueryUserCouponsResultV2 (ListSubCustomerCoupons): its face_value and balance are Doubles in the
 * SDK, so JSON numbers; a 2-decimal amount below 10^11 yuan converts to exactly that double.
 */
function customerCouponView(c: PartnerCoupon, now: Date) {
  return {
    coupon_id: c.id,
    status: shownCouponStatus(c, now),
    customer_id: c.customerId,
    coupon_type: c.couponType,
    measure_id: 1,
    face_value: Number(amount(c.faceValueMinor)),
    balance: Number(amount(c.balanceMinor)),
    currency: c.currency,
    valid_time: utc(c.effectiveAt),
    expire_time: utc(c.expireAt),
    create_time: utc(c.createdAt),
    media_type: 1,
    fetch_method: 3,
    coupon_version: 2,
    use_limits: [] as never[],
    is_frozen: '0',
    source_id: c.issuerPartnerId,
  };
}

/** CouponRecordV2. */
function recordView(r: PartnerCouponRecord) {
  return {
    id: r.id,
    operation_type: String(r.operationType),
    quota_id: r.quotaId,
    quota_type: 0,
    coupon_id: r.couponId,
    customer_id: r.customerId,
    operation_amount: amount(r.amountMinor),
    operation_time: utc(r.operatedAt),
    result: '0',
    remark: r.remark,
  };
}

/**
 * Vouchers a partner issues to its customers from its voucher quota: issue, list, reclaim, records
 * (the partner API's partner coupons), and the customers' coupons as the partner sees them.
 * Quota is money: the coupons permission.
 */
@Controller('v2/promotions/benefits')
@RequirePermission('coupons')
export class PartnerCouponsController {
  constructor(private readonly coupons: PartnerCouponsService) {}

  @Post('partner-coupons')
  @HttpCode(200)
  @ApiRoute({ summary: 'Issues a voucher from the caller\'s voucher quota to each of its customers, answered per customer (CreatePartnerCoupons)', response: IssueResponse, errors: QuotaRefusals })
  async issue(@ValidBody(IssueBody) input: z.infer<typeof IssueBody>, @CurrentPrincipal() principal: Principal) {
    const { issued, refused } = await this.coupons.issue(scopeOf(principal), {
      quotaId: input.quota_id,
      customerIds: input.customer_ids,
      faceValue: input.face_value,
      validTime: input.valid_time ? new Date(input.valid_time) : undefined,
      expireTime: input.expire_time ? new Date(input.expire_time) : undefined,
      memo: input.memo ?? undefined,
    });
    return {
      error_details: refused.map((e) => ({ id: e.id, error_code: e.errorCode, error_msg: e.errorMsg })),
      coupon_infos: issued.map((i) => ({ id: i.customerId, coupon_id: i.couponId })),
    };
  }

  @Get('partner-coupons')
  @ApiRoute({ summary: 'The vouchers the caller issued, newest first (ListIssuedPartnerCoupons)', response: IssuedResponse })
  async issued(@ValidQuery(IssuedQuery) q: z.infer<typeof IssuedQuery>, @CurrentPrincipal() principal: Principal) {
    const [rows, total] = await this.coupons.issuedBy(scopeOf(principal), { couponId: q.coupon_id, customerId: q.customer_id, status: q.status, offset: q.offset, limit: q.limit });
    const now = new Date();
    return { total_count: total, user_coupons: rows.map((c) => partnerCouponView(c, now)) };
  }

  /** ReclaimPartnerCoupons answers nothing in the public API; Settle adds what came back and the quota's balance after. */
  @Post('partner-coupons/reclaim')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Takes back what a voucher has left into the quota that paid it (ReclaimPartnerCoupons)',
    response: ReclaimResponse,
    errors: [
      { status: 409, code: 'CBC.0102', when: 'the voucher was already reclaimed' },
      { status: 400, code: QuotaErrors.QuotaNotFound, when: 'the quota that paid the voucher is no longer the caller\'s (not expected: quotas keep their holder)' },
    ],
  })
  async reclaim(@ValidBody(ReclaimBody) { coupon_id }: z.infer<typeof ReclaimBody>, @CurrentPrincipal() principal: Principal) {
    const { reclaimed, quotaBalance } = await this.coupons.reclaim(scopeOf(principal), coupon_id);
    return { coupon_id, reclaimed_amount: reclaimed.toString(), quota_balance: quotaBalance.toString() };
  }

  @Get('partner-coupons/records/query')
  @ApiRoute({ summary: 'Issue and reclaim records of the caller\'s vouchers, newest first (ListPartnerCouponsRecord)', response: RecordsResponse })
  async records(@ValidQuery(RecordsQuery) q: z.infer<typeof RecordsQuery>, @CurrentPrincipal() principal: Principal) {
    const [rows, total] = await this.coupons.records(scopeOf(principal), {
      operationTypes: q.operation_types?.map(Number),
      quotaId: q.quota_id,
      couponIds: q.coupon_ids,
      customerId: q.customer_id,
      offset: q.offset,
      limit: q.limit,
    });
    return { total_count: total, records: rows.map(recordView) };
  }

  /** The coupons of the caller's customers that the caller issued (source_id, if given, must be the caller). */
  @Get('coupons')
  @ApiRoute({ summary: 'The vouchers the caller issued to its customers, as the customers hold them (ListSubCustomerCoupons)', response: CustomerCouponsResponse })
  async customerCoupons(@ValidQuery(CustomerCouponsQuery) q: z.infer<typeof CustomerCouponsQuery>, @CurrentPrincipal() principal: Principal) {
    const scope = scopeOf(principal);
    if (q.source_id && q.source_id !== scope.partnerId) return { count: 0, user_coupons: [] };
    const [rows, total] = await this.coupons.issuedBy(scope, { couponId: q.coupon_id, status: q.status, offset: q.offset, limit: q.limit });
    const now = new Date();
    return { count: total, user_coupons: rows.map((c) => customerCouponView(c, now)) };
  }
}
