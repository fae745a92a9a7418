import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { IdSchema, IsoDateTimeSchema } from '@settle/contracts';
import { Money } from '@settle/money';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { AccountsService } from './accounts.service';
import { positiveAmount } from './amount-input';
import { LedgerAccount } from './ledger.entity';
import { LedgerService } from './ledger.service';
import { PartnersService } from '../partners/partners.service';
import { BALANCE_TYPES, OPERATION_TYPES, TradeTypeFilter, adjustRecordView, changeRecordView, dayBound, partnerBalancesView } from './partner-account-views';

/** The ledger's currency for the partner API (which names no currency). */
export const LEDGER_CURRENCY = 'CNY';

const amount = (minor: string, currency: string) => Money.fromMinor(minor, currency).toString();
const RequestId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only').optional();
const Page = { offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(10) };

/** The SDK's AdjustAccountReq / ReclaimToPartnerAccountBalancesReq; request_id is Settle's (idempotency). */
const AdjustBody = z.object({ customer_id: IdSchema, amount: positiveAmount(LEDGER_CURRENCY), request_id: RequestId }).strict();
const ResellerBody = z.object({ indirect_partner_id: IdSchema, amount: positiveAmount(LEDGER_CURRENCY), request_id: RequestId }).strict();
const BalancesQuery = z.object({ indirect_partner_id: IdSchema.optional() }).strict();
/** ListPartnerAdjustRecords' parameters; operation_type in the public API's codes. */
const AdjustRecordsQuery = z
  .object({
    customer_id: IdSchema.optional(),
    operation_type: z.enum(Object.keys(OPERATION_TYPES) as [keyof typeof OPERATION_TYPES]).optional(),
    operation_time_begin: IsoDateTimeSchema.optional(),
    operation_time_end: IsoDateTimeSchema.optional(),
    trans_id: IdSchema.optional(),
    ...Page,
  })
  .strict();
/** ListPartnerAccountChangeRecords' parameters: balance_type and trade_type in the public API's codes, days as YYYY-MM-DD. */
const ChangeRecordsQuery = z
  .object({
    balance_type: z.enum(Object.keys(BALANCE_TYPES) as [keyof typeof BALANCE_TYPES]).optional(),
    trade_type: TradeTypeFilter.optional(),
    trade_time_begin: dayBound(false).optional(),
    trade_time_end: dayBound(true).optional(),
    ...Page,
  })
  .strict();
const ThresholdBody = z.object({ threshold: z.union([z.literal(0), z.literal('0'), positiveAmount(LEDGER_CURRENCY)]) }).strict();

export function balancesView(accounts: LedgerAccount[]) {
  return {
    account_balances: accounts
      .filter((a) => a.accountType !== 'withdrawal-hold')
      .map((a) => ({ account_id: a.id, account_type: a.accountType, amount: amount(a.balanceMinor, a.currency), currency: a.currency, measure_id: 1 })),
    held_for_withdrawal: accounts.filter((a) => a.accountType === 'withdrawal-hold').map((a) => ({ amount: amount(a.balanceMinor, a.currency), currency: a.currency })),
  };
}

/**
 * The partner account API, compatible with the public one where it has the function: balances,
 * funding and reclaiming customers (CBC.99005003 when the paying account is short), adjustment
 * records, income and expense records, the balance-alert threshold. Moving money and reading the
 * books is for the admin and finance roles.
 */
@Controller()
@RequirePermission('accounts')
export class PartnerAccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly ledger: LedgerService,
    private readonly partners: PartnersService,
  ) {}

  /** The caller's balances, or (indirect_partner_id) those of one of its tier-2 resellers (CBC.99000037 for anyone else's). */
  @Get('v2/accounts/partner-accounts/balances')
  async balances(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const { indirect_partner_id } = parseInput(BalancesQuery, query);
    const scope = scopeOf(principal);
    if (indirect_partner_id) await this.partners.requireOwnReseller(scope, indirect_partner_id);
    return partnerBalancesView(await this.ledger.accountsOf('partner', indirect_partner_id ?? scope.partnerId));
  }

  @Post('v2/accounts/partner-accounts/adjust-amount')
  @HttpCode(200)
  async fund(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const input = parseInput(AdjustBody, body);
    const posted = await this.accounts.fundCustomer(scopeOf(principal), { customerId: input.customer_id, amount: input.amount, requestId: input.request_id });
    return { transfer_id: posted.entry.id, customer_id: input.customer_id, amount: input.amount.toString(), currency: input.amount.currencyCode, replayed: !posted.created };
  }

  /** Funding a tier-2 reseller (the public API's indirect-partner-adjust). */
  @Post('v2/accounts/partner-accounts/indirect-partner-adjust')
  @HttpCode(200)
  async fundReseller(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const input = parseInput(ResellerBody, body);
    const posted = await this.accounts.fundReseller(scopeOf(principal), { resellerId: input.indirect_partner_id, amount: input.amount, requestId: input.request_id });
    return { transfer_id: posted.entry.id, indirect_partner_id: input.indirect_partner_id, amount: input.amount.toString(), currency: input.amount.currencyCode, replayed: !posted.created };
  }

  /** Reclaiming from a tier-2 reseller (the same conventions). */
  @Post('v2/accounts/partner-accounts/indirect-partner-reclaim')
  @HttpCode(200)
  async reclaimFromReseller(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const input = parseInput(ResellerBody, body);
    const posted = await this.accounts.reclaimFromReseller(scopeOf(principal), { resellerId: input.indirect_partner_id, amount: input.amount, requestId: input.request_id });
    return { trans_id: posted.entry.id, indirect_partner_id: input.indirect_partner_id, amount: input.amount.toString(), currency: input.amount.currencyCode, replayed: !posted.created };
  }

  @Post('v2/accounts/partner-accounts/reclaim')
  @HttpCode(200)
  async reclaim(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const input = parseInput(AdjustBody, body);
    const posted = await this.accounts.reclaimFromCustomer(scopeOf(principal), { customerId: input.customer_id, amount: input.amount, requestId: input.request_id });
    return { trans_id: posted.entry.id, customer_id: input.customer_id, amount: input.amount.toString(), currency: input.amount.currencyCode, replayed: !posted.created };
  }

  @Get('v3/accounts/partner-accounts/adjust-records')
  async adjustRecords(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseInput(AdjustRecordsQuery, query);
    const { total, rows } = await this.accounts.adjustRecords(scopeOf(principal), {
      customerId: q.customer_id,
      operationType: q.operation_type && OPERATION_TYPES[q.operation_type],
      from: q.operation_time_begin ? new Date(q.operation_time_begin) : undefined,
      to: q.operation_time_end ? new Date(q.operation_time_end) : undefined,
      transId: q.trans_id,
      offset: q.offset,
      limit: q.limit,
    });
    return { total_count: total, records: rows.map(adjustRecordView) };
  }

  @Get('v2/accounts/partner-accounts/account-change-records')
  async changeRecords(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseInput(ChangeRecordsQuery, query);
    const { total, rows } = await this.accounts.changeRecords(scopeOf(principal), {
      accountType: q.balance_type && BALANCE_TYPES[q.balance_type],
      entryTypes: q.trade_type,
      from: q.trade_time_begin,
      to: q.trade_time_end,
      offset: q.offset,
      limit: q.limit,
    });
    return { total_count: total, currency: LEDGER_CURRENCY, records: rows.map(changeRecordView) };
  }

  /** The threshold under which the partner's cash balance raises an alert (0 turns alerts off in effect). */
  @Put('v2/accounts/partner-accounts/balance-alert')
  async setThreshold(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { threshold } = parseInput(ThresholdBody, body);
    const money = threshold instanceof Money ? threshold : Money.zero(LEDGER_CURRENCY);
    const row = await this.ledger.setThreshold(scopeOf(principal).partnerId, money);
    return { threshold: amount(row.thresholdMinor, row.currency), currency: row.currency, armed: row.armed };
  }
}

const RechargeBody = z
  .object({ partner_id: IdSchema, amount: positiveAmount(LEDGER_CURRENCY), account_type: z.enum(['cash', 'credit', 'reward', 'deposit', 'allocatable']).default('cash'), request_id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/) })
  .strict();
const PartnerQuery = z.object({ partner_id: IdSchema }).strict();

/** Operator side: credit partner accounts, read any partner's balances, run the ledger's self-check. */
@Controller('operator/billing')
@RequireOperator()
export class OperatorAccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly ledger: LedgerService,
  ) {}

  @Post('accounts/recharge')
  @HttpCode(200)
  async recharge(@Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const input = parseInput(RechargeBody, body);
    const posted = await this.accounts.recharge({
      partnerId: input.partner_id,
      accountType: input.account_type,
      amount: input.amount,
      requestId: input.request_id,
      by: callerOf(principal),
    });
    return { trans_id: posted.entry.id, replayed: !posted.created, ...balancesView(await this.ledger.accountsOf('partner', input.partner_id)) };
  }

  @Get('accounts')
  async balances(@Query() query: unknown) {
    const { partner_id } = parseInput(PartnerQuery, query);
    return { partner_id, ...balancesView(await this.ledger.accountsOf('partner', partner_id)) };
  }

  /** Re-derives every balance from the postings: empty lists mean the books are consistent. */
  @Get('ledger/check')
  check() {
    return this.ledger.check();
  }
}
