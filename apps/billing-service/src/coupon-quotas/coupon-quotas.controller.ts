import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { IdSchema, IsoDateTimeSchema } from '@settle/contracts';
import { Money } from '@settle/money';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { QuotaOperation, QuotaStatus, VOUCHER_QUOTA } from './coupon-quota.entity';
import { CouponQuotasService, QUOTA_CURRENCY, QuotaView, RecordView } from './coupon-quotas.service';

/**
 * A positive quota amount as the partner API sends it (BigDecimal: a JSON number or a decimal
 * string, more than 0, at most 2 decimals, in yuan). Checked on its decimal text, never through a
 * float operation, then held exactly as Money.
 */
const QuotaAmount = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .refine((v) => /^\d{1,13}(\.\d{1,2})?$/.test(v), { message: 'must be an amount in yuan with at most 2 decimals, such as "100.50"' })
  .transform((v) => Money.of(v, QUOTA_CURRENCY))
  .refine((m) => m.isPositive(), { message: 'must be greater than 0' });

const distinct = (ids: string[]) => new Set(ids).size === ids.length;
const Time = IsoDateTimeSchema.nullish().transform((v) => (v ? new Date(v) : undefined));
const Offset = z.coerce.number().int().min(0).max(1_000_000_000).nullish().transform((v) => v ?? 0);
const Limit = z.coerce.number().int().min(1).max(100).nullish().transform((v) => v ?? 10);
const StatusValues = [QuotaStatus.Normal, QuotaStatus.Invalid, 4, 5, QuotaStatus.Reclaimed] as const;

const QueryBody = z
  .object({
    quota_type: z.union([z.literal(0), z.literal(1)]).nullish().transform((v) => v ?? VOUCHER_QUOTA),
    quota_ids: z.array(IdSchema).max(50).nullish(),
    quota_status_list: z
      .array(z.number().int().refine((s) => (StatusValues as readonly number[]).includes(s), { message: 'must be 0, 3, 4, 5 or 6' }))
      .max(5)
      .nullish(),
    create_time_begin: Time,
    create_time_end: Time,
    effective_time_begin: Time,
    effective_time_end: Time,
    expire_time_begin: Time,
    expire_time_end: Time,
    indirect_partner_id: IdSchema.nullish(),
    offset: Offset,
    limit: Limit,
  })
  .strict();

const AdjustBody = z
  .object({
    quota_id: IdSchema,
    indirect_partner_ids: z.array(IdSchema).min(1).max(100).refine(distinct, { message: 'must not repeat a reseller' }),
    quota_amount: QuotaAmount,
  })
  .strict();

const ReclaimBody = z
  .object({
    quota_ids: z.array(IdSchema).min(1).max(10).refine(distinct, { message: 'must not repeat a quota' }),
    remark: z.string().max(256).nullish(),
    /** Not in the public API (which takes back everything unused): reclaim this much from each quota. */
    amount: QuotaAmount.optional(),
  })
  .strict();

const RecordsQuery = z
  .object({
    indirect_partner_id: IdSchema.optional(),
    quota_id: IdSchema.optional(),
    parent_quota_id: IdSchema.optional(),
    operation_type: z.enum(['10', '11']).optional(),
    operation_time_begin: IsoDateTimeSchema.optional(),
    operation_time_end: IsoDateTimeSchema.optional(),
    offset: Offset,
    limit: Limit,
  })
  .strict();

const GrantBody = z
  .object({
    partner_id: IdSchema,
    quota_amount: QuotaAmount,
    effective_time: IsoDateTimeSchema.optional(),
    expire_time: IsoDateTimeSchema.optional(),
    remark: z.string().max(256).optional(),
  })
  .strict();

const PartnerQuery = z.object({ partner_id: IdSchema }).strict();

const amount = (minor: string) => Money.fromMinor(minor, QUOTA_CURRENCY).toString();

/** CouponQuotaV2 of the partner API, plus parent_quota_id. Amounts in yuan as decimal strings. */
export function quotaView({ quota: q, status }: QuotaView) {
  return {
    quota_id: q.id,
    quota_type: q.quotaType,
    quota_value: amount(q.valueMinor),
    balance: amount(q.balanceMinor),
    currency: q.currency,
    measure_id: 1,
    quota_status: status,
    effective_time: q.effectiveAt.toISOString(),
    expire_time: q.expireAt?.toISOString() ?? null,
    create_time: q.createdAt.toISOString(),
    last_update_time: q.updatedAt.toISOString(),
    parent_quota_id: q.parentQuotaId,
    limit_infos: [] as never[],
  };
}

/** QuotaRecord of the partner API, plus the balances before and after and the currency. */
export function recordView({ record: r, indirectPartnerName }: RecordView) {
  return {
    id: r.id,
    operation_type: String(r.operationType),
    indirect_partner_id: r.indirectPartnerId,
    indirect_partner_name: indirectPartnerName,
    quota_id: r.quotaId,
    parent_quota_id: r.parentQuotaId,
    amount: amount(r.amountMinor),
    currency: r.currency,
    measure_id: 1,
    quota_balance_before: amount(r.quotaBalanceBeforeMinor),
    quota_balance_after: amount(r.quotaBalanceAfterMinor),
    parent_quota_balance_before: r.parentBalanceBeforeMinor === null ? null : amount(r.parentBalanceBeforeMinor),
    parent_quota_balance_after: r.parentBalanceAfterMinor === null ? null : amount(r.parentBalanceAfterMinor),
    operator: r.operator,
    operation_time: r.operatedAt.toISOString(),
    remark: r.remark,
    result: '0',
  };
}

/**
 * Voucher (coupon) quotas of the partner API: query, issue to tier-2 resellers, reclaim, records.
 * Quota is money: the coupons permission (admin and finance); issuing to and reclaiming from
 * tier-2 resellers is a distributor's `coupon-quotas:indirect`, and tier-1 resellers, whose
 * finance role has only `coupons`, issue to theirs as well.
 */
@Controller('v2/partners/coupon-quotas')
@RequirePermission('coupons', 'coupon-quotas:indirect')
export class CouponQuotasController {
  constructor(private readonly quotas: CouponQuotasService) {}

  @Post('query')
  @HttpCode(200)
  async query(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseInput(QueryBody, body ?? {});
    const [rows, total] = await this.quotas.query(scopeOf(principal), {
      quotaType: q.quota_type,
      quotaIds: q.quota_ids ?? undefined,
      statuses: q.quota_status_list ?? undefined,
      indirectPartnerId: q.indirect_partner_id ?? undefined,
      createdAfter: q.create_time_begin,
      createdBefore: q.create_time_end,
      effectiveAfter: q.effective_time_begin,
      effectiveBefore: q.effective_time_end,
      expireAfter: q.expire_time_begin,
      expireBefore: q.expire_time_end,
      offset: q.offset,
      limit: q.limit,
    });
    return { total_count: total, quotas: rows.map(quotaView) };
  }

  @Post('indirect-partner-adjust')
  @HttpCode(200)
  async issue(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const input = parseInput(AdjustBody, body);
    const { issued, refused } = await this.quotas.issue(scopeOf(principal), { quotaId: input.quota_id, indirectPartnerIds: input.indirect_partner_ids, amount: input.quota_amount });
    return {
      // ErrorDetail.id names the refused reseller; indirect_partner_id says the same, as before.
      error_details: refused.map((e) => ({ id: e.id, indirect_partner_id: e.id, error_code: e.errorCode, error_msg: e.errorMsg })),
      simple_quota_infos: issued.map((i) => ({ id: i.partnerId, quota_id: i.quotaId })),
    };
  }

  @Post('indirect-partner-reclaim')
  @HttpCode(200)
  async reclaim(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const input = parseInput(ReclaimBody, body);
    const { reclaimed, refused } = await this.quotas.reclaim(scopeOf(principal), { quotaIds: input.quota_ids, amount: input.amount, remark: input.remark ?? undefined });
    return {
      error_details: refused.map((e) => ({ id: e.id, quota_id: e.id, error_code: e.errorCode, error_msg: e.errorMsg })),
      // QuotaReclaim.quota_balance is what the quota holds after the reclaim; reclaimed_amount (Settle's) is what came back.
      simple_quota_infos: reclaimed.map((r) => ({ quota_id: r.quotaId, quota_balance: r.balance.toString(), reclaimed_amount: r.reclaimed.toString() })),
    };
  }

  @Get('records')
  async records(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseInput(RecordsQuery, query);
    const [rows, total] = await this.quotas.records(scopeOf(principal), {
      indirectPartnerId: q.indirect_partner_id,
      quotaId: q.quota_id,
      parentQuotaId: q.parent_quota_id,
      operationType: q.operation_type === undefined ? undefined : q.operation_type === '10' ? QuotaOperation.Issue : QuotaOperation.Reclaim,
      after: q.operation_time_begin ? new Date(q.operation_time_begin) : undefined,
      before: q.operation_time_end ? new Date(q.operation_time_end) : undefined,
      offset: q.offset,
      limit: q.limit,
    });
    return { total_count: total, records: rows.map(recordView) };
  }
}

const IssuedQuery = z
  .object({ quota_id: IdSchema.optional(), indirect_partner_id: IdSchema.optional(), parent_quota_id: IdSchema.optional(), offset: Offset, limit: Limit })
  .strict();

/** `GET /v2/partners/issued-coupon-quotas` (ListIssuedCouponQuotas): the quotas the caller issued to its tier-2 resellers. */
@Controller('v2/partners/issued-coupon-quotas')
@RequirePermission('coupons', 'coupon-quotas:indirect')
export class IssuedCouponQuotasController {
  constructor(private readonly quotas: CouponQuotasService) {}

  @Get()
  async issued(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseInput(IssuedQuery, query);
    const [rows, total] = await this.quotas.issued(scopeOf(principal), {
      quotaId: q.quota_id,
      indirectPartnerId: q.indirect_partner_id,
      parentQuotaId: q.parent_quota_id,
      offset: q.offset,
      limit: q.limit,
    });
    return {
      total_count: total,
      quotas: rows.map((r) => ({ ...quotaView(r), indirect_partner_id: r.quota.partnerId, indirect_partner_name: r.indirectPartnerName, indirect_partner_account_name: null })),
    };
  }
}

/** The platform's side: granting a top-level partner its quota, and looking at (and checking) a partner's quotas. */
@Controller('operator/billing/coupon-quotas')
@RequireOperator()
export class OperatorCouponQuotasController {
  constructor(private readonly quotas: CouponQuotasService) {}

  @Post('grant')
  @HttpCode(201)
  async grant(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const input = parseInput(GrantBody, body);
    const operator = callerOf(principal);
    const quota = await this.quotas.grant(
      {
        partnerId: input.partner_id,
        amount: input.quota_amount,
        effectiveAt: input.effective_time ? new Date(input.effective_time) : undefined,
        expireAt: input.expire_time ? new Date(input.expire_time) : undefined,
        remark: input.remark,
      },
      operator,
    );
    return { partner_id: quota.partnerId, ...quotaView({ quota, status: quota.status }) };
  }

  @Get()
  async held(@Query() query: unknown) {
    const { partner_id } = parseInput(PartnerQuery, query);
    return { partner_id, quotas: (await this.quotas.heldBy(partner_id)).map(quotaView) };
  }

  /** Re-derives the partner's quota balances from the records; `mismatches` is empty when they agree. */
  @Get('check')
  async check(@Query() query: unknown) {
    const { partner_id } = parseInput(PartnerQuery, query);
    return { partner_id, ...(await this.quotas.check(partner_id)) };
  }
}
