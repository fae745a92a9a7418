import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { ApiAmount, ApiCurrency, ApiTimestamp, ApiTotalCount, ApiUuid, ErrorCodes, IdSchema } from '@settle/contracts';
import { Money } from '@settle/money';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { LEDGER_CURRENCY } from '../ledger/accounts.controller';
import { positiveAmount } from '../ledger/amount-input';
import { Withdrawal } from './withdrawal.entity';
import { WithdrawalsService } from './withdrawals.service';

const ApplyBody = z
  .object({ amount: positiveAmount(LEDGER_CURRENCY), request_id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only'), remark: z.string().max(500).optional() })
  .strict();
const Params = z.object({ withdrawal_id: z.uuid({ message: 'must be a withdrawal id' }) }).strict();
const ListQuery = z
  .object({ status: z.enum(['applied', 'approved', 'rejected', 'paid']).optional(), offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(10) })
  .strict();
const RejectBody = z.object({ reason: z.string().trim().min(1, 'must say why').max(1000) }).strict();
const OperatorListQuery = ListQuery.extend({ partner_id: IdSchema.optional() });

const WithdrawalStatusCode = z.enum(['applied', 'approved', 'rejected', 'paid']);
const WithdrawalFields = {
  withdrawal_id: ApiUuid,
  request_id: z.string().describe('The caller\'s request id: applying twice with it is one application'),
  amount: ApiAmount,
  currency: ApiCurrency,
  status: WithdrawalStatusCode,
  remark: z.string().nullable(),
  reject_reason: z.string().nullable(),
  progress: z.array(z.object({ step: WithdrawalStatusCode, time: ApiTimestamp, by: z.string().describe('Who took the step') })).describe('Each step so far with its time, applied first'),
  hold_trans_id: ApiUuid.describe('The ledger entry that moved the amount from cash to withdrawal-hold'),
  settle_trans_id: ApiUuid.nullable().describe('The ledger entry that released the hold (rejected) or paid it out (paid); null before'),
};
/** An application as withdrawalView shows it. */
const WithdrawalSchema = z.object(WithdrawalFields).meta({ id: 'BillingWithdrawal' });
const ApplyResponse = z.object({ ...WithdrawalFields, replayed: z.boolean().describe('true when this request_id had already applied: the first application, nothing held again') });
const ListResponse = z.object({ total_count: ApiTotalCount, withdrawals: z.array(WithdrawalSchema) });
const OperatorListResponse = z.object({
  total_count: ApiTotalCount,
  withdrawals: z.array(z.object({ partner_id: z.string(), deleted: z.boolean().describe('Removed from the partner\'s list (a rejected application)'), ...WithdrawalFields })),
});
const StepRefused = (needs: string) => ({ status: 409, code: 'CBC.0102', when: `the application is not ${needs}` });

/** Progress of an application as the partner sees it: each step with its time. */
export function withdrawalView(w: Withdrawal) {
  return {
    withdrawal_id: w.id,
    request_id: w.requestId,
    amount: Money.fromMinor(w.amountMinor, w.currency).toString(),
    currency: w.currency,
    status: w.status,
    remark: w.remark,
    reject_reason: w.rejectReason,
    progress: [
      { step: 'applied', time: w.appliedAt.toISOString(), by: w.appliedBy },
      ...(w.reviewedAt ? [{ step: w.status === 'rejected' ? 'rejected' : 'approved', time: w.reviewedAt.toISOString(), by: w.reviewedBy }] : []),
      ...(w.paidAt ? [{ step: 'paid', time: w.paidAt.toISOString(), by: w.paidBy }] : []),
    ],
    hold_trans_id: w.holdEntryId,
    settle_trans_id: w.settleEntryId,
  };
}


/** Withdrawals, as the partner sees them (no public API has them; its conventions apply). */
@Controller('v2/accounts/partner-accounts/withdrawals')
@RequirePermission('accounts')
export class WithdrawalsController {
  constructor(private readonly withdrawals: WithdrawalsService) {}

  @Post()
  @HttpCode(200)
  @ApiRoute({
    summary: 'Applies to withdraw cash (the amount is held until the operator rejects or pays it)',
    response: ApplyResponse,
    errors: [
      { status: 400, code: ErrorCodes.InsufficientBalance, when: 'the partner\'s cash holds less than the amount' },
      { status: 409, code: 'CBC.0102', when: 'request_id was already used for another amount' },
    ],
  })
  async apply(@ValidBody(ApplyBody) input: z.infer<typeof ApplyBody>, @CurrentPrincipal() principal: Principal) {
    const { withdrawal, created } = await this.withdrawals.apply(scopeOf(principal), { amount: input.amount, requestId: input.request_id, remark: input.remark });
    return { ...withdrawalView(withdrawal), replayed: !created };
  }

  @Get()
  @ApiRoute({ summary: 'The partner\'s withdrawal applications, newest first', response: ListResponse })
  async list(@ValidQuery(ListQuery) q: z.infer<typeof ListQuery>, @CurrentPrincipal() principal: Principal) {
    const [rows, total] = await this.withdrawals.list(scopeOf(principal), q);
    return { total_count: total, withdrawals: rows.map(withdrawalView) };
  }

  @Get(':withdrawal_id')
  @ApiRoute({ summary: 'One withdrawal application with its progress', response: WithdrawalSchema })
  async get(@ValidParams(Params) { withdrawal_id }: z.infer<typeof Params>, @CurrentPrincipal() principal: Principal) {
    return withdrawalView(await this.withdrawals.get(scopeOf(principal), withdrawal_id));
  }

  /** Only a rejected application can be deleted from the list. */
  @Delete(':withdrawal_id')
  @HttpCode(204)
  @ApiRoute({ summary: 'Removes a rejected application from the partner\'s list', response: { empty: true }, errors: [StepRefused('rejected: only a rejected application can be deleted')] })
  async remove(@ValidParams(Params) { withdrawal_id }: z.infer<typeof Params>, @CurrentPrincipal() principal: Principal) {
    await this.withdrawals.remove(scopeOf(principal), withdrawal_id);
  }
}

/** The operator's review: approve, reject with a reason (the hold is released), mark paid. */
@Controller('operator/billing/withdrawals')
@RequireOperator()
export class OperatorWithdrawalsController {
  constructor(private readonly withdrawals: WithdrawalsService) {}

  @Get()
  @ApiRoute({ summary: 'Every partner\'s withdrawal applications (deleted ones included), newest first', response: OperatorListResponse })
  async list(@ValidQuery(OperatorListQuery) q: z.infer<typeof OperatorListQuery>) {
    const [rows, total] = await this.withdrawals.operatorList({ ...q, partnerId: q.partner_id });
    return { total_count: total, withdrawals: rows.map((w) => ({ partner_id: w.partnerId, deleted: w.deletedAt !== null, ...withdrawalView(w) })) };
  }

  @Post(':withdrawal_id/approve')
  @HttpCode(200)
  @ApiRoute({ summary: 'Approves an applied withdrawal', response: WithdrawalSchema, errors: [StepRefused('applied')] })
  async approve(@ValidParams(Params) { withdrawal_id }: z.infer<typeof Params>, @CurrentPrincipal() principal: Principal | undefined) {
    return withdrawalView(await this.withdrawals.approve(withdrawal_id, callerOf(principal)));
  }

  @Post(':withdrawal_id/reject')
  @HttpCode(200)
  @ApiRoute({ summary: 'Rejects a withdrawal with a reason, releasing the held amount to cash', response: WithdrawalSchema, errors: [StepRefused('applied or approved')] })
  async reject(
    @ValidParams(Params) { withdrawal_id }: z.infer<typeof Params>,
    @ValidBody(RejectBody) { reason }: z.infer<typeof RejectBody>,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    return withdrawalView(await this.withdrawals.reject(withdrawal_id, reason, callerOf(principal)));
  }

  @Post(':withdrawal_id/pay')
  @HttpCode(200)
  @ApiRoute({ summary: 'Marks an approved withdrawal paid, moving the held amount to the platform\'s payouts', response: WithdrawalSchema, errors: [StepRefused('approved')] })
  async pay(@ValidParams(Params) { withdrawal_id }: z.infer<typeof Params>, @CurrentPrincipal() principal: Principal | undefined) {
    return withdrawalView(await this.withdrawals.pay(withdrawal_id, callerOf(principal)));
  }
}
