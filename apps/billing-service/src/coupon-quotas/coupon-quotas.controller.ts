import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { ApiAmount, ApiCurrency, ApiTimestamp, ApiTotalCount, ErrorCodes, IdSchema, IsoDateTimeSchema } from '@settle/contracts';
import { Money } from '@settle/money';
import { ApiRoute, ValidBody, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { QuotaOperation, QuotaStatus, VOUCHER_QUOTA } from './coupon-quota.entity';
import { CouponQuotasService, QUOTA_CURRENCY, QuotaErrors, QuotaView, RecordView } from './coupon-quotas.service';

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

/** ListQuotaCoupons' body; no body at all is the same as `{}`. */
const QueryFields = z
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
const QueryBody = z.preprocess((body) => body ?? {}, QueryFields);

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

const QuotaFields = {
  quota_id: z.string(),
  quota_type: z.literal(VOUCHER_QUOTA).describe('0 voucher quota'),
  quota_value: ApiAmount.describe('What was put into the quota (granted or issued), in yuan'),
  balance: ApiAmount.describe('What is still available, in yuan'),
  currency: ApiCurrency,
  measure_id: z.literal(1).describe('1 yuan'),
  quota_status: z.union([z.literal(QuotaStatus.Normal), z.literal(QuotaStatus.Invalid), z.literal(QuotaStatus.Reclaimed)]).describe('0 normal, 3 invalid (expired), 6 reclaimed'),
  effective_time: ApiTimestamp,
  expire_time: ApiTimestamp.nullable().describe('null: never expires'),
  create_time: ApiTimestamp,
  last_update_time: ApiTimestamp,
  parent_quota_id: z.string().nullable().describe('The quota it was issued from; null for a quota the platform granted'),
  limit_infos: z.array(z.never()).describe('Use limits: always empty (a voucher quota applies to anything)'),
};
/** CouponQuotaV2 of the partner API (quotaView). */
const QuotaSchema = z.object(QuotaFields).meta({ id: 'BillingCouponQuota' });
const QuotaRecordSchema = z.object({
  id: z.string(),
  operation_type: z.enum(['10', '11']).describe('10 issued to a tier-2 reseller, 11 reclaimed from one'),
  indirect_partner_id: z.string().nullable(),
  indirect_partner_name: z.string().nullable(),
  quota_id: z.string(),
  parent_quota_id: z.string().nullable(),
  amount: ApiAmount,
  currency: ApiCurrency,
  measure_id: z.literal(1).describe('1 yuan'),
  quota_balance_before: ApiAmount,
  quota_balance_after: ApiAmount,
  parent_quota_balance_before: ApiAmount.nullable(),
  parent_quota_balance_after: ApiAmount.nullable(),
  operator: z.string(),
  operation_time: ApiTimestamp,
  remark: z.string().nullable(),
  result: z.literal('0').describe('0 success'),
});
const QueryResponse = z.object({ total_count: ApiTotalCount, quotas: z.array(QuotaSchema) });
const IssueResponse = z.object({
  error_details: z
    .array(z.object({ id: z.string(), indirect_partner_id: z.string().describe('The same as id'), error_code: z.literal(QuotaErrors.NotYourReseller), error_msg: z.string() }))
    .describe('The refused resellers: not one of the caller\'s tier-2 resellers'),
  simple_quota_infos: z.array(z.object({ id: z.string().describe('The reseller'), quota_id: z.string().describe('The quota issued to it') })),
});
const ReclaimResponse = z.object({
  error_details: z
    .array(z.object({ id: z.string(), quota_id: z.string().describe('The same as id'), error_code: z.enum([QuotaErrors.QuotaNotFound, ErrorCodes.InsufficientBalance]), error_msg: z.string() }))
    .describe('The refused quotas: CBC.99000012 not issued by the caller or nothing left, CBC.99005003 less unused than amount'),
  simple_quota_infos: z.array(
    z.object({ quota_id: z.string(), quota_balance: ApiAmount.describe('What the quota holds after the reclaim'), reclaimed_amount: ApiAmount.describe('What came back to the quota it was issued from') }),
  ),
});
const RecordsResponse = z.object({ total_count: ApiTotalCount, records: z.array(QuotaRecordSchema) });
const IssuedResponse = z.object({
  total_count: ApiTotalCount,
  quotas: z.array(z.object({ ...QuotaFields, indirect_partner_id: z.string(), indirect_partner_name: z.string().nullable(), indirect_partner_account_name: z.null() })),
});
const GrantResponse = z.object({ partner_id: z.string(), ...QuotaFields });
const HeldResponse = z.object({ partner_id: z.string(), quotas: z.array(QuotaSchema) });
const CheckResponse = z.object({
  partner_id: z.string(),
  checked: z.number().int().describe('Quotas the partner holds or issued from'),
  mismatches: z
    .array(z.object({ quota_id: z.string(), field: z.enum(['balance', 'value']), stored: z.string().describe('Minor units (fen)'), derived: z.string().describe('Minor units (fen), from the records') }))
    .describe('Empty when the stored quotas agree with their records'),
});

const NotYourReseller = { status: 400, code: QuotaErrors.NotYourReseller, when: 'indirect_partner_id is not one of the caller\'s tier-2 resellers' };
/** What refuses a whole issue (or a coupon paid from the quota): the quota itself. */
const QuotaRefusals = [
  { status: 400, code: QuotaErrors.QuotaNotFound, when: 'the quota does not exist or is not the caller\'s' },
  { status: 400, code: QuotaErrors.InsufficientQuota, when: 'the quota holds less than the amount times the accepted recipients (nothing is issued)' },
  { status: 400, code: QuotaErrors.QuotaStatusForbids, when: 'the quota\'s status is not normal (0)' },
  { status: 400, code: QuotaErrors.QuotaNotInEffect, when: 'the quota is not in effect yet or has expired' },
];

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
  @ApiRoute({ summary: 'The caller\'s voucher quotas, or those of one of its tier-2 resellers (ListQuotaCoupons)', response: QueryResponse, errors: [NotYourReseller] })
  async query(@ValidBody(QueryBody) q: z.infer<typeof QueryBody>, @CurrentPrincipal() principal: Principal) {
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
  @ApiRoute({
    summary: 'Issues voucher quota to tier-2 resellers, answered per reseller (UpdateCouponQuotas)',
    response: IssueResponse,
    errors: QuotaRefusals,
  })
  async issue(@ValidBody(AdjustBody) input: z.infer<typeof AdjustBody>, @CurrentPrincipal() principal: Principal) {
    const { issued, refused } = await this.quotas.issue(scopeOf(principal), { quotaId: input.quota_id, indirectPartnerIds: input.indirect_partner_ids, amount: input.quota_amount });
    return {
      // ErrorDetail.id names the refused reseller; indirect_partner_id says the same, as before.
      error_details: refused.map((e) => ({ id: e.id, indirect_partner_id: e.id, error_code: e.errorCode, error_msg: e.errorMsg })),
      simple_quota_infos: issued.map((i) => ({ id: i.partnerId, quota_id: i.quotaId })),
    };
  }

  @Post('indirect-partner-reclaim')
  @HttpCode(200)
  @ApiRoute({ summary: 'Takes back unused voucher quota from tier-2 resellers, answered per quota (ReclaimCouponQuotas)', response: ReclaimResponse })
  async reclaim(@ValidBody(ReclaimBody) input: z.infer<typeof ReclaimBody>, @CurrentPrincipal() principal: Principal) {
    const { reclaimed, refused } = await this.quotas.reclaim(scopeOf(principal), { quotaIds: input.quota_ids, amount: input.amount, remark: input.remark ?? undefined });
    return {
      error_details: refused.map((e) => ({ id: e.id, quota_id: e.id, error_code: e.errorCode, error_msg: e.errorMsg })),
      // QuotaReclaim.quota_balance is what the quota holds after the reclaim; reclaimed_amount (Settle's) is what came back.
      simple_quota_infos: reclaimed.map((r) => ({ quota_id: r.quotaId, quota_balance: r.balance.toString(), reclaimed_amount: r.reclaimed.toString() })),
    };
  }

  @Get('records')
  @ApiRoute({ summary: 'Issue and reclaim records of voucher quotas (ListCouponQuotasRecords)', response: RecordsResponse, errors: [NotYourReseller] })
  async records(@ValidQuery(RecordsQuery) q: z.infer<typeof RecordsQuery>, @CurrentPrincipal() principal: Principal) {
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
  @ApiRoute({ summary: 'The voucher quotas the caller issued to its tier-2 resellers (ListIssuedCouponQuotas)', response: IssuedResponse })
  async issued(@ValidQuery(IssuedQuery) q: z.infer<typeof IssuedQuery>, @CurrentPrincipal() principal: Principal) {
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
  @ApiRoute({ summary: 'Grants a top-level partner a new voucher quota', response: GrantResponse })
  async grant(@ValidBody(GrantBody) input: z.infer<typeof GrantBody>, @CurrentPrincipal() principal: Principal) {
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
  @ApiRoute({ summary: 'Every voucher quota a partner holds', response: HeldResponse })
  async held(@ValidQuery(PartnerQuery) { partner_id }: z.infer<typeof PartnerQuery>) {
    return { partner_id, quotas: (await this.quotas.heldBy(partner_id)).map(quotaView) };
  }

  /** Re-derives the partner's quota balances from the records; `mismatches` is empty when they agree. */
  @Get('check')
  @ApiRoute({ summary: 'Re-derives a partner\'s voucher quotas from their records (empty mismatches: they agree)', response: CheckResponse })
  async check(@ValidQuery(PartnerQuery) { partner_id }: z.infer<typeof PartnerQuery>) {
    return { partner_id, ...(await this.quotas.check(partner_id)) };
  }
}
