import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { ApiAmount, ApiTimestamp, ApiTotalCount, ApiUuid, BillCycleSchema, IdSchema } from '@settle/contracts';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
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
const OperatorListQuery = ListQuery.extend({ partner_id: IdSchema.optional() });

const BenefitType = z.enum(['FH', 'NRE']).describe('FH: full-time staff incentive; NRE: one-off engineering fee.');
const BenefitStatus = z.enum(['submitted', 'approved', 'rejected']);
/** What the partner stated (the application's body without benefit_type), by benefit type. */
const BenefitDetails = z
  .union([
    z.object({
      period: BillCycleSchema.describe('The settlement period (YYYY-MM) the staff work in.'),
      staff: z.array(z.object({ name: z.string(), role: z.string(), certificate_id: z.string().optional() })),
      remark: z.string().optional(),
    }),
    z.object({
      project_name: z.string(),
      business_value: z.string(),
      requested_amount: ApiAmount.describe('The fee asked for.'),
      currency: z.literal('CNY'),
      agreement_reference: z.string().optional(),
    }),
  ])
  .describe('FH: the period and the staff; NRE: the project, its business value and the fee asked for.')
  .meta({ id: 'IncentiveBenefitDetails' });
const benefitFields = {
  application_id: ApiUuid,
  benefit_type: BenefitType,
  status: BenefitStatus,
  details: BenefitDetails,
  reject_reason: z.string().nullable(),
  submitted_at: ApiTimestamp,
  reviewed_at: ApiTimestamp.nullable(),
};
const AuditTrail = z
  .array(z.object({ action: BenefitStatus.describe('What was done: submitted, approved or rejected.'), time: ApiTimestamp, by: z.string(), reason: z.string().nullable() }))
  .describe("The application's audit trail, oldest first.");
/** An application with its audit trail (what submitting, reading one and reviewing answer). */
const BenefitApplicationResponse = z.object({ ...benefitFields, audit_trail: AuditTrail }).meta({ id: 'IncentiveBenefitApplication' });
const AlreadyDecided = { status: 409, code: 'CBC.0102', when: 'the application was already approved or rejected' };

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
  @ApiRoute({ summary: 'Applies for a special benefit (FH full-time staff incentive, NRE engineering fee)', response: BenefitApplicationResponse })
  async submit(@ValidBody(SubmitBody) { benefit_type, ...details }: z.infer<typeof SubmitBody>, @CurrentPrincipal() principal: Principal | undefined) {
    return benefitView(await this.benefits.submit(scopeOf(principal), benefit_type, details));
  }

  @Get()
  @ApiRoute({ summary: "The caller's special-benefit applications, newest first", response: z.object({ total_count: ApiTotalCount, applications: z.array(z.object(benefitFields)) }) })
  async list(@ValidQuery(ListQuery) q: z.infer<typeof ListQuery>, @CurrentPrincipal() principal: Principal | undefined) {
    const [rows, total] = await this.benefits.partnerList(scopeOf(principal), { ...q, benefitType: q.benefit_type });
    return { total_count: total, applications: rows.map((application) => benefitView({ application })) };
  }

  @Get(':application_id')
  @ApiRoute({ summary: 'One of the caller\'s special-benefit applications with its audit trail', response: BenefitApplicationResponse })
  async get(@ValidParams(Params) { application_id }: z.infer<typeof Params>, @CurrentPrincipal() principal: Principal | undefined) {
    return benefitView(await this.benefits.partnerGet(scopeOf(principal), application_id));
  }
}

/** Operators review special-benefit applications: approve, or reject with a reason. */
@Controller('operator/incentives/special-benefits')
@RequireOperator()
export class OperatorBenefitsController {
  constructor(private readonly benefits: BenefitsService) {}

  @Get()
  @ApiRoute({
    summary: "Every partner's special-benefit applications, newest first",
    response: z.object({ total_count: ApiTotalCount, applications: z.array(z.object({ partner_id: z.string(), ...benefitFields })) }),
  })
  async list(@ValidQuery(OperatorListQuery) q: z.infer<typeof OperatorListQuery>) {
    const [rows, total] = await this.benefits.operatorList({ ...q, partnerId: q.partner_id, benefitType: q.benefit_type });
    return { total_count: total, applications: rows.map((application) => ({ partner_id: application.partnerId, ...benefitView({ application }) })) };
  }

  @Get(':application_id')
  @ApiRoute({ summary: 'One special-benefit application with its partner and audit trail', response: z.object({ partner_id: z.string(), ...benefitFields, audit_trail: AuditTrail }) })
  async get(@ValidParams(Params) { application_id }: z.infer<typeof Params>) {
    const found = await this.benefits.operatorGet(application_id);
    return { partner_id: found.application.partnerId, ...benefitView(found) };
  }

  @Post(':application_id/approve')
  @HttpCode(200)
  @ApiRoute({ summary: 'Approves a submitted special-benefit application', response: BenefitApplicationResponse, errors: [AlreadyDecided] })
  async approve(@ValidParams(Params) { application_id }: z.infer<typeof Params>, @CurrentPrincipal() principal: Principal | undefined) {
    return benefitView(await this.benefits.review(application_id, 'approved', null, callerOf(principal)));
  }

  @Post(':application_id/reject')
  @HttpCode(200)
  @ApiRoute({ summary: 'Rejects a submitted special-benefit application with a reason', response: BenefitApplicationResponse, errors: [AlreadyDecided] })
  async reject(
    @ValidParams(Params) { application_id }: z.infer<typeof Params>,
    @ValidBody(RejectBody) { reason }: z.infer<typeof RejectBody>,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    return benefitView(await this.benefits.review(application_id, 'rejected', reason, callerOf(principal)));
  }
}
