import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { BillCycleSchema, IdSchema } from '@settle/contracts';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { BenefitWithTrail, BenefitsService } from './benefits.service';

const Text = (max: number) => z.string().trim().min(1).max(max);
/** What each benefit's qualification application states. */
const SubmitBody = z.discriminatedUnion('benefit_type', [
  z
    .object({
      benefit_type: z.literal('FH'),
      period: BillCycleSchema,
      staff: z.array(z.object({ name: Text(100), role: Text(100), certificate_id: Text(64).optional() }).strict()).min(1).max(100),
      remark: Text(1000).optional(),
    })
    .strict(),
  z
    .object({
      benefit_type: z.literal('NRE'),
      project_name: Text(200),
      business_value: Text(4000),
      requested_amount: z.string().regex(/^\d{1,12}(\.\d{1,2})?$/, 'must be a decimal string such as "50000.00"'),
      currency: z.literal('CNY').default('CNY'),
      agreement_reference: Text(128).optional(),
    })
    .strict(),
]);
const Params = z.object({ application_id: z.uuid({ message: 'must be an application id' }) }).strict();
const Page = { offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(10) };
const ListQuery = z.object({ status: z.enum(['submitted', 'approved', 'rejected']).optional(), benefit_type: z.enum(['FH', 'NRE']).optional(), ...Page }).strict();
const RejectBody = z.object({ reason: z.string().trim().min(1, 'must say why').max(1000) }).strict();

function benefitView({ application: a, trail }: BenefitWithTrail | { application: BenefitWithTrail['application']; trail?: undefined }) {
  return {
    application_id: a.id,
    benefit_type: a.benefitType,
    status: a.status,
    details: a.details,
    reject_reason: a.rejectReason,
    submitted_at: a.submittedAt.toISOString(),
    reviewed_at: a.reviewedAt?.toISOString() ?? null,
    ...(trail ? { audit_trail: trail.map((t) => ({ action: t.action, time: t.at.toISOString(), by: t.by, reason: t.reason })) } : {}),
  };
}

/** Special-benefit qualification applications (FH full-time staff incentive, NRE one-off engineering fee). */
@Controller('v2/incentives/special-benefits')
@RequirePermission('incentives')
export class PartnerBenefitsController {
  constructor(private readonly benefits: BenefitsService) {}

  @Post()
  @HttpCode(201)
  async submit(@Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { benefit_type, ...details } = parseInput(SubmitBody, body);
    return benefitView(await this.benefits.submit(scopeOf(principal), benefit_type, details));
  }

  @Get()
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const q = parseInput(ListQuery, query);
    const [rows, total] = await this.benefits.partnerList(scopeOf(principal), { ...q, benefitType: q.benefit_type });
    return { total_count: total, applications: rows.map((application) => benefitView({ application })) };
  }

  @Get(':application_id')
  async get(@Param() params: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { application_id } = parseInput(Params, params);
    return benefitView(await this.benefits.partnerGet(scopeOf(principal), application_id));
  }
}

/** Operators review special-benefit applications: approve, or reject with a reason. */
@Controller('operator/incentives/special-benefits')
@RequireOperator()
export class OperatorBenefitsController {
  constructor(private readonly benefits: BenefitsService) {}

  @Get()
  async list(@Query() query: unknown) {
    const q = parseInput(ListQuery.extend({ partner_id: IdSchema.optional() }), query);
    const [rows, total] = await this.benefits.operatorList({ ...q, partnerId: q.partner_id, benefitType: q.benefit_type });
    return { total_count: total, applications: rows.map((application) => ({ partner_id: application.partnerId, ...benefitView({ application }) })) };
  }

  @Get(':application_id')
  async get(@Param() params: unknown) {
    const { application_id } = parseInput(Params, params);
    const found = await this.benefits.operatorGet(application_id);
    return { partner_id: found.application.partnerId, ...benefitView(found) };
  }

  @Post(':application_id/approve')
  @HttpCode(200)
  async approve(@Param() params: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { application_id } = parseInput(Params, params);
    return benefitView(await this.benefits.review(application_id, 'approved', null, callerOf(principal)));
  }

  @Post(':application_id/reject')
  @HttpCode(200)
  async reject(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { application_id } = parseInput(Params, params);
    const { reason } = parseInput(RejectBody, body);
    return benefitView(await this.benefits.review(application_id, 'rejected', reason, callerOf(principal)));
  }
}
