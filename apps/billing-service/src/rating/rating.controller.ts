import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator } from '@settle/auth';
import { ApiAmount, ApiCurrency, ApiTimestamp, ApiTotalCount, BillCycleSchema, ChargeModeSchema, IdSchema, IsoDateTimeSchema } from '@settle/contracts';
import { Decimal, Money } from '@settle/money';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { BillingCycle } from './billing-cycle.entity';
import { PartnerDiscount } from './partner-discount.entity';
import { RatedLine } from './rated-line.entity';
import { RatingService } from './rating.service';

const DiscountBody = z
  .object({
    partner_id: IdSchema,
    service_type_code: z.string().min(1).max(128).regex(/^[A-Za-z0-9._:/-]+$/, 'must be a service type code such as hws.service.type.ec2'),
    /** A fraction: "0.15" is 15 % off; at most 6 decimals. */
    discount: z.string().regex(/^0(\.\d{1,6})?$/, 'must be a decimal string in [0, 1) with at most 6 decimals, such as "0.15"'),
    effective_from: IsoDateTimeSchema,
    effective_to: IsoDateTimeSchema.nullable().optional(),
  })
  .strict()
  .refine((b) => !b.effective_to || new Date(b.effective_to) > new Date(b.effective_from), { path: ['effective_to'], message: 'must be after effective_from' });

const PartnerQuery = z.object({ partner_id: IdSchema }).strict();

const LinesQuery = z
  .object({
    partner_id: IdSchema,
    bill_cycle: BillCycleSchema,
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

const CycleParams = z.object({ bill_cycle: BillCycleSchema }).strict();
const RecordParams = z.object({ record_id: IdSchema }).strict();

const DiscountRate = z.string().describe('A fraction as decimal text: "0.15" is 15 % off');
const DiscountResponse = z.object({
  discount_id: z.string(),
  partner_id: z.string(),
  service_type_code: z.string(),
  discount: DiscountRate,
  effective_from: ApiTimestamp,
  effective_to: ApiTimestamp.nullable().describe('null: open-ended'),
});
const CycleResponse = z.object({
  bill_cycle: z.string().describe('YYYY-MM'),
  status: z.enum(['open', 'closed']).describe('closed: later corrections of its records become adjustments in the next open cycle'),
  closed_at: ApiTimestamp.nullable(),
  closed_by: z.string().nullable(),
});
/** One rated line (lineView), in the rated-lines list and a record's revisions. */
const RatedLineResponse = z
  .object({
    line_id: z.string(),
    partner_id: z.string(),
    bill_cycle: z.string().describe('The cycle the line is billed in (YYYY-MM)'),
    customer_id: z.string(),
    record_id: z.string().describe('The usage record that made the line (for a correction-adjustment, the correction)'),
    line_type: z.enum(['usage', 'correction-adjustment']).describe('correction-adjustment: a correction of a closed cycle\'s record, billed in the next open cycle'),
    record_type: z.enum(['consumption', 'refund', 'adjustment']).describe('The priced kind of the original record'),
    references_record_id: z.string().nullable().describe('For a correction-adjustment: the record it corrects'),
    usage_cycle: z.string().describe('The cycle the usage occurred in (YYYY-MM)'),
    association_type: z.union([z.literal(1), z.literal(2)]).describe('1 consultant sale, 2 agency sale'),
    service_type_code: z.string(),
    resource_type_code: z.string(),
    resource_id: z.string(),
    region_code: z.string(),
    charge_mode: ChargeModeSchema,
    usage: z.string().describe('The used quantity as decimal text, in usage_measure_id'),
    usage_measure_id: z.number().int().describe('A catalog unit of measure (GET /v2/bases/measurements)'),
    occurred_at: ApiTimestamp,
    currency: ApiCurrency,
    official_amount: ApiAmount,
    discount: DiscountRate,
    discount_amount: ApiAmount,
    amount: ApiAmount.describe('The rated amount: official_amount less discount_amount'),
    status: z.enum(['active', 'cancelled']),
    revision: z.number().int(),
  })
  .meta({ id: 'BillingRatedLine' });
const LinesResponse = z.object({
  partner_id: z.string(),
  bill_cycle: z.string(),
  total_count: ApiTotalCount,
  totals: z.array(z.object({ currency: ApiCurrency, official: ApiAmount, discount: ApiAmount, rated: ApiAmount })).describe('Sums of all the lines of the cycle (not only this page), per currency'),
  lines: z.array(RatedLineResponse),
});
const RevisionsResponse = z.object({
  line: RatedLineResponse,
  revisions: z.array(
    z.object({
      revision: z.number().int(),
      record_id: z.string().describe('The record that produced this version (the original, then each correction or cancellation)'),
      official_amount: ApiAmount,
      discount: DiscountRate,
      discount_amount: ApiAmount,
      amount: ApiAmount,
      status: z.enum(['active', 'cancelled']),
      created_at: ApiTimestamp,
    }),
  ),
});
const OverlappingDiscount = { status: 409, code: 'CBC.0102', when: 'the partner already has a discount on this service type overlapping the period' };
const CycleNotEnded = { status: 409, code: 'CBC.0102', when: 'the cycle\'s month has not ended yet' };

const subjectOf = (p: Principal | undefined) => (p?.kind === 'operator' ? p.subject : 'unknown');

function discountView(d: PartnerDiscount) {
  return {
    discount_id: d.id,
    partner_id: d.partnerId,
    service_type_code: d.serviceTypeCode,
    discount: Decimal.of(d.discountRate).normalize().toString(),
    effective_from: d.effectiveFrom.toISOString(),
    effective_to: d.effectiveTo?.toISOString() ?? null,
  };
}

function cycleView(c: BillingCycle) {
  return { bill_cycle: c.billCycle, status: c.status, closed_at: c.closedAt?.toISOString() ?? null, closed_by: c.closedBy };
}

const amount = (minor: string, currency: string) => Money.fromMinor(minor, currency).toString();

export function lineView(l: RatedLine) {
  return {
    line_id: l.id,
    partner_id: l.partnerId,
    bill_cycle: l.billCycle,
    customer_id: l.customerId,
    record_id: l.recordId,
    line_type: l.lineType,
    record_type: l.recordType,
    references_record_id: l.referencesRecordId,
    usage_cycle: l.usageCycle,
    association_type: l.associationType,
    service_type_code: l.serviceTypeCode,
    resource_type_code: l.resourceTypeCode,
    resource_id: l.resourceId,
    region_code: l.regionCode,
    charge_mode: l.chargeMode,
    usage: Decimal.of(l.usage).normalize().toString(),
    usage_measure_id: l.usageMeasureId,
    occurred_at: l.occurredAt.toISOString(),
    currency: l.currency,
    official_amount: amount(l.officialAmountMinor, l.currency),
    discount: Decimal.of(l.discountRate).normalize().toString(),
    discount_amount: amount(l.discountAmountMinor, l.currency),
    amount: amount(l.ratedAmountMinor, l.currency),
    status: l.status,
    revision: l.revision,
  };
}

/** Operator API of rating: partner discounts, billing cycles, rated lines. */
@Controller('operator/billing')
@RequireOperator()
export class RatingController {
  constructor(private readonly rating: RatingService) {}

  @Post('discounts')
  @HttpCode(201)
  @ApiRoute({ summary: 'Gives a partner a discount on a service type for a period', response: DiscountResponse, errors: [OverlappingDiscount] })
  async createDiscount(@ValidBody(DiscountBody) input: z.infer<typeof DiscountBody>, @CurrentPrincipal() principal: Principal | undefined) {
    const created = await this.rating.createDiscount({
      partnerId: input.partner_id,
      serviceTypeCode: input.service_type_code,
      discountRate: Decimal.of(input.discount),
      effectiveFrom: new Date(input.effective_from),
      effectiveTo: input.effective_to ? new Date(input.effective_to) : null,
      createdBy: subjectOf(principal),
    });
    return discountView(created);
  }

  @Get('discounts')
  @ApiRoute({ summary: 'A partner\'s discounts', response: z.object({ partner_id: z.string(), discounts: z.array(DiscountResponse) }) })
  async listDiscounts(@ValidQuery(PartnerQuery) { partner_id }: z.infer<typeof PartnerQuery>) {
    return { partner_id, discounts: (await this.rating.listDiscounts(partner_id)).map(discountView) };
  }

  @Get('cycles/:bill_cycle')
  @ApiRoute({ summary: 'A billing cycle: open or closed', response: CycleResponse })
  async cycle(@ValidParams(CycleParams) { bill_cycle }: z.infer<typeof CycleParams>) {
    return cycleView(await this.rating.cycle(bill_cycle));
  }

  /** Closes a cycle: later corrections of its records become adjustments in the next open cycle. */
  @Post('cycles/:bill_cycle/close')
  @HttpCode(200)
  @ApiRoute({ summary: 'Closes a billing cycle (closing a closed one changes nothing)', response: CycleResponse, errors: [CycleNotEnded] })
  async close(@ValidParams(CycleParams) { bill_cycle }: z.infer<typeof CycleParams>, @CurrentPrincipal() principal: Principal | undefined) {
    return cycleView(await this.rating.closeCycle(bill_cycle, subjectOf(principal)));
  }

  /** The rated lines of one partner in one cycle, with totals per currency. */
  @Get('rated-lines')
  @ApiRoute({ summary: 'The rated lines of one partner in one cycle, with totals per currency', response: LinesResponse })
  async lines(@ValidQuery(LinesQuery) q: z.infer<typeof LinesQuery>) {
    const { total, lines, totals } = await this.rating.lines(q.partner_id, q.bill_cycle, q.offset, q.limit);
    return { partner_id: q.partner_id, bill_cycle: q.bill_cycle, total_count: total, totals, lines: lines.map(lineView) };
  }

  /** Every version of a record's line (the original rating, then each in-place correction). */
  @Get('rated-lines/by-record/:record_id/revisions')
  @ApiRoute({ summary: 'Every version of a record\'s rated line (the original rating, then each correction)', response: RevisionsResponse })
  async revisions(@ValidParams(RecordParams) { record_id }: z.infer<typeof RecordParams>) {
    const line = await this.rating.lineOfRecord(record_id);
    const revisions = await this.rating.revisions(line.id);
    return {
      line: lineView(line),
      revisions: revisions.map((r) => ({
        revision: r.revision,
        record_id: r.recordId,
        official_amount: amount(r.officialAmountMinor, line.currency),
        discount: Decimal.of(r.discountRate).normalize().toString(),
        discount_amount: amount(r.discountAmountMinor, line.currency),
        amount: amount(r.ratedAmountMinor, line.currency),
        status: r.status,
        created_at: r.createdAt.toISOString(),
      })),
    };
  }
}
