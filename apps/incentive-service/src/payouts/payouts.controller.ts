import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { IdSchema, PayoutMethodSchema } from '@settle/contracts';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { payoutApplicationView, payoutProgressView, voucherCreditView } from './payout-views';
import { PayoutsService } from './payouts.service';

const ApplyBody = z.object({ notice_id: z.uuid({ message: 'must be a notice id' }), method: PayoutMethodSchema }).strict();
const Params = z.object({ application_id: z.uuid({ message: 'must be an application id' }) }).strict();
const Page = { offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(10) };
const ListQuery = z.object({ status: z.enum(['awaiting-invoice', 'released', 'paid']).optional(), ...Page }).strict();
const PaidBody = z.object({ bank_reference: z.string().trim().min(1).max(128) }).strict();

/** A partner applies for a notice's payout, follows its progress, and sees its voucher credit. */
@Controller('v2/incentives')
@RequirePermission('incentives')
export class PartnerPayoutsController {
  constructor(private readonly payouts: PayoutsService) {}

  @Post('payout-applications')
  @HttpCode(201)
  async apply(@Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { notice_id, method } = parseInput(ApplyBody, body);
    return payoutApplicationView(await this.payouts.apply(scopeOf(principal), notice_id, method));
  }

  @Get('payout-applications')
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const [rows, total] = await this.payouts.partnerApplications(scopeOf(principal), parseInput(ListQuery, query));
    return { total_count: total, applications: rows.map(payoutApplicationView) };
  }

  @Get('payout-applications/:application_id')
  async get(@Param() params: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { application_id } = parseInput(Params, params);
    const { application, steps } = await this.payouts.partnerApplication(scopeOf(principal), application_id);
    return payoutProgressView(application, steps);
  }

  @Get('voucher-credits')
  async vouchers(@Query() query: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const [rows, total] = await this.payouts.voucherCredits(scopeOf(principal), parseInput(z.object(Page).strict(), query));
    return { total_count: total, voucher_credits: rows.map(voucherCreditView) };
  }
}

/** Operators follow every application and mark bank-transfer payouts paid with the bank's reference. */
@Controller('operator/incentives/payout-applications')
@RequireOperator()
export class OperatorPayoutsController {
  constructor(private readonly payouts: PayoutsService) {}

  @Get()
  async list(@Query() query: unknown) {
    const q = parseInput(ListQuery.extend({ partner_id: IdSchema.optional() }), query);
    const [rows, total] = await this.payouts.operatorApplications({ ...q, partnerId: q.partner_id });
    return { total_count: total, applications: rows.map((a) => ({ partner_id: a.partnerId, ...payoutApplicationView(a) })) };
  }

  @Get(':application_id')
  async get(@Param() params: unknown) {
    const { application_id } = parseInput(Params, params);
    const { application, steps } = await this.payouts.operatorApplication(application_id);
    return { partner_id: application.partnerId, ...payoutProgressView(application, steps) };
  }

  @Post(':application_id/mark-paid')
  @HttpCode(200)
  async markPaid(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { application_id } = parseInput(Params, params);
    const { bank_reference } = parseInput(PaidBody, body);
    return payoutApplicationView(await this.payouts.markPaid(application_id, bank_reference, callerOf(principal)));
  }
}
