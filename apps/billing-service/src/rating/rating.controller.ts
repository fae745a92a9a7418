import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator } from '@settle/auth';
import { BillCycleSchema, IdSchema, IsoDateTimeSchema } from '@settle/contracts';
import { Decimal, Money } from '@settle/money';
import { parseInput } from '@settle/platform';
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
  async createDiscount(@Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const input = parseInput(DiscountBody, body);
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
  async listDiscounts(@Query() query: unknown) {
    const { partner_id } = parseInput(PartnerQuery, query);
    return { partner_id, discounts: (await this.rating.listDiscounts(partner_id)).map(discountView) };
  }

  @Get('cycles/:bill_cycle')
  async cycle(@Param('bill_cycle') cycle: string) {
    return cycleView(await this.rating.cycle(parseInput(BillCycleSchema, cycle)));
  }

  /** Closes a cycle: later corrections of its records become adjustments in the next open cycle. */
  @Post('cycles/:bill_cycle/close')
  @HttpCode(200)
  async close(@Param('bill_cycle') cycle: string, @CurrentPrincipal() principal: Principal | undefined) {
    return cycleView(await this.rating.closeCycle(parseInput(BillCycleSchema, cycle), subjectOf(principal)));
  }

  /** The rated lines of one partner in one cycle, with totals per currency. */
  @Get('rated-lines')
  async lines(@Query() query: unknown) {
    const q = parseInput(LinesQuery, query);
    const { total, lines, totals } = await this.rating.lines(q.partner_id, q.bill_cycle, q.offset, q.limit);
    return { partner_id: q.partner_id, bill_cycle: q.bill_cycle, total_count: total, totals, lines: lines.map(lineView) };
  }

  /** Every version of a record's line (the original rating, then each in-place correction). */
  @Get('rated-lines/by-record/:record_id/revisions')
  async revisions(@Param('record_id') recordId: string) {
    const line = await this.rating.lineOfRecord(parseInput(IdSchema, recordId));
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
