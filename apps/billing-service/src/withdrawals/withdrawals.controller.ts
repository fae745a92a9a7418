import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { IdSchema } from '@settle/contracts';
import { Money } from '@settle/money';
import { parseInput } from '@settle/platform';
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
  async apply(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const input = parseInput(ApplyBody, body);
    const { withdrawal, created } = await this.withdrawals.apply(scopeOf(principal), { amount: input.amount, requestId: input.request_id, remark: input.remark });
    return { ...withdrawalView(withdrawal), replayed: !created };
  }

  @Get()
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseInput(ListQuery, query);
    const [rows, total] = await this.withdrawals.list(scopeOf(principal), q);
    return { total_count: total, withdrawals: rows.map(withdrawalView) };
  }

  @Get(':withdrawal_id')
  async get(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { withdrawal_id } = parseInput(Params, params);
    return withdrawalView(await this.withdrawals.get(scopeOf(principal), withdrawal_id));
  }

  /** Only a rejected application can be deleted from the list. */
  @Delete(':withdrawal_id')
  @HttpCode(204)
  async remove(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { withdrawal_id } = parseInput(Params, params);
    await this.withdrawals.remove(scopeOf(principal), withdrawal_id);
  }
}

/** The operator's review: approve, reject with a reason (the hold is released), mark paid. */
@Controller('operator/billing/withdrawals')
@RequireOperator()
export class OperatorWithdrawalsController {
  constructor(private readonly withdrawals: WithdrawalsService) {}

  @Get()
  async list(@Query() query: unknown) {
    const q = parseInput(ListQuery.extend({ partner_id: IdSchema.optional() }), query);
    const [rows, total] = await this.withdrawals.operatorList({ ...q, partnerId: q.partner_id });
    return { total_count: total, withdrawals: rows.map((w) => ({ partner_id: w.partnerId, deleted: w.deletedAt !== null, ...withdrawalView(w) })) };
  }

  @Post(':withdrawal_id/approve')
  @HttpCode(200)
  async approve(@Param() params: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { withdrawal_id } = parseInput(Params, params);
    return withdrawalView(await this.withdrawals.approve(withdrawal_id, callerOf(principal)));
  }

  @Post(':withdrawal_id/reject')
  @HttpCode(200)
  async reject(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { withdrawal_id } = parseInput(Params, params);
    const { reason } = parseInput(RejectBody, body);
    return withdrawalView(await this.withdrawals.reject(withdrawal_id, reason, callerOf(principal)));
  }

  @Post(':withdrawal_id/pay')
  @HttpCode(200)
  async pay(@Param() params: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { withdrawal_id } = parseInput(Params, params);
    return withdrawalView(await this.withdrawals.pay(withdrawal_id, callerOf(principal)));
  }
}
