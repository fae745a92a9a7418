import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { ApiTotalCount, IdSchema, PayoutMethodSchema } from '@settle/contracts';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { PayoutRefusals } from './payout-errors';
import { PayoutApplicationResponse, VoucherCreditView, payoutApplicationFields, payoutApplicationView, payoutProgressFields, payoutProgressView, voucherCreditView } from './payout-views';
import { PayoutsService } from './payouts.service';

const ApplyBody = z.object({ notice_id: z.uuid({ message: 'must be a notice id' }), method: PayoutMethodSchema }).strict();
const Params = z.object({ application_id: z.uuid({ message: 'must be an application id' }) }).strict();
const Page = { offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(10) };
const ListQuery = z.object({ status: z.enum(['awaiting-invoice', 'released', 'paid']).optional(), ...Page }).strict();
const PaidBody = z.object({ bank_reference: z.string().trim().min(1).max(128) }).strict();
const PageQuery = z.object(Page).strict();
const OperatorListQuery = ListQuery.extend({ partner_id: IdSchema.optional() });

const ApplyRefusals = [
  { status: 409, code: PayoutRefusals.CertificationRequired.code, when: "the partner's business information certification is not complete" },
  { status: 409, code: PayoutRefusals.NoticeAlreadyApplied.code, when: 'a payout was already applied for this notice (application_id names it)' },
  { status: 409, code: PayoutRefusals.NothingToPay.code, when: 'the notice total is not positive' },
];
const CannotMarkPaid = { status: 409, code: 'CBC.0102', when: 'the application is not a bank transfer, is not released yet, or was already paid with another bank reference' };

/** A partner applies for a notice's payout, follows its progress, and sees its voucher credit. */
@Controller('v2/incentives')
@RequirePermission('incentives')
export class PartnerPayoutsController {
  constructor(private readonly payouts: PayoutsService) {}

  @Post('payout-applications')
  @HttpCode(201)
  @ApiRoute({ summary: "Applies for a notice's payout (bank transfer, recharge of the partner account, or voucher credit)", response: PayoutApplicationResponse, errors: ApplyRefusals })
  async apply(@ValidBody(ApplyBody) { notice_id, method }: z.infer<typeof ApplyBody>, @CurrentPrincipal() principal: Principal | undefined) {
    return payoutApplicationView(await this.payouts.apply(scopeOf(principal), notice_id, method));
  }

  @Get('payout-applications')
  @ApiRoute({ summary: "The caller's payout applications, newest first", response: z.object({ total_count: ApiTotalCount, applications: z.array(PayoutApplicationResponse) }) })
  async list(@ValidQuery(ListQuery) q: z.infer<typeof ListQuery>, @CurrentPrincipal() principal: Principal | undefined) {
    const [rows, total] = await this.payouts.partnerApplications(scopeOf(principal), q);
    return { total_count: total, applications: rows.map(payoutApplicationView) };
  }

  @Get('payout-applications/:application_id')
  @ApiRoute({ summary: "One of the caller's payout applications with its progress", response: z.object(payoutProgressFields) })
  async get(@ValidParams(Params) { application_id }: z.infer<typeof Params>, @CurrentPrincipal() principal: Principal | undefined) {
    const { application, steps } = await this.payouts.partnerApplication(scopeOf(principal), application_id);
    return payoutProgressView(application, steps);
  }

  @Get('voucher-credits')
  @ApiRoute({ summary: 'The voucher credit the caller\'s voucher payouts granted, newest first', response: z.object({ total_count: ApiTotalCount, voucher_credits: z.array(VoucherCreditView) }) })
  async vouchers(@ValidQuery(PageQuery) q: z.infer<typeof PageQuery>, @CurrentPrincipal() principal: Principal | undefined) {
    const [rows, total] = await this.payouts.voucherCredits(scopeOf(principal), q);
    return { total_count: total, voucher_credits: rows.map(voucherCreditView) };
  }
}

/** Operators follow every application and mark bank-transfer payouts paid with the bank's reference. */
@Controller('operator/incentives/payout-applications')
@RequireOperator()
export class OperatorPayoutsController {
  constructor(private readonly payouts: PayoutsService) {}

  @Get()
  @ApiRoute({
    summary: "Every partner's payout applications, newest first",
    response: z.object({ total_count: ApiTotalCount, applications: z.array(z.object({ partner_id: z.string(), ...payoutApplicationFields })) }),
  })
  async list(@ValidQuery(OperatorListQuery) q: z.infer<typeof OperatorListQuery>) {
    const [rows, total] = await this.payouts.operatorApplications({ ...q, partnerId: q.partner_id });
    return { total_count: total, applications: rows.map((a) => ({ partner_id: a.partnerId, ...payoutApplicationView(a) })) };
  }

  @Get(':application_id')
  @ApiRoute({ summary: 'One payout application with its partner and progress', response: z.object({ partner_id: z.string(), ...payoutProgressFields }) })
  async get(@ValidParams(Params) { application_id }: z.infer<typeof Params>) {
    const { application, steps } = await this.payouts.operatorApplication(application_id);
    return { partner_id: application.partnerId, ...payoutProgressView(application, steps) };
  }

  @Post(':application_id/mark-paid')
  @HttpCode(200)
  @ApiRoute({ summary: 'Records the bank reference of a released bank-transfer payout (the same reference again changes nothing)', response: PayoutApplicationResponse, errors: [CannotMarkPaid] })
  async markPaid(
    @ValidParams(Params) { application_id }: z.infer<typeof Params>,
    @ValidBody(PaidBody) { bank_reference }: z.infer<typeof PaidBody>,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    return payoutApplicationView(await this.payouts.markPaid(application_id, bank_reference, callerOf(principal)));
  }
}
