import { Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { ApiAmount, ApiCurrency, ApiTimestamp, ApiTotalCount, IdSchema, IsoDateTimeSchema } from '@settle/contracts';
import { Money } from '@settle/money';
import { ApiRoute, ValidBody, ValidQuery } from '@settle/platform';
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

/** Balances as the operator sees them (amounts as decimal text). */
const OperatorBalances = {
  account_balances: z.array(z.object({ account_id: z.string(), account_type: z.string(), amount: ApiAmount, currency: ApiCurrency, measure_id: z.literal(1) })),
  held_for_withdrawal: z.array(z.object({ amount: ApiAmount, currency: ApiCurrency })),
};
/** The SDK's ListPartnerBalancesResponse (AccountBalanceV2: amount is a JSON number there), plus what withdrawals hold back. */
const PartnerBalancesResponse = z.object({
  account_balances: z.array(
    z.object({
      account_id: z.string(),
      account_type: z.number().int().describe('1 cash, 2 credit, 5 reward, 7 deposit, 8 allocatable'),
      amount: z.number().describe('The SDK reads a Double: the decimal amount, exact to the cent for any balance below 10^13'),
      currency: ApiCurrency,
      measure_id: z.literal(1),
    }),
  ),
  held_for_withdrawal: z.array(z.object({ amount: ApiAmount, currency: ApiCurrency })),
});
const Replayed = z.boolean().describe('true when this request_id had already been applied: the first result, nothing moved again');
const FundResponse = z.object({ transfer_id: z.string(), customer_id: z.string(), amount: ApiAmount, currency: ApiCurrency, replayed: Replayed });
const FundResellerResponse = z.object({ transfer_id: z.string(), indirect_partner_id: z.string(), amount: ApiAmount, currency: ApiCurrency, replayed: Replayed });
const ReclaimResponse = z.object({ trans_id: z.string(), customer_id: z.string(), amount: ApiAmount, currency: ApiCurrency, replayed: Replayed });
const ReclaimResellerResponse = z.object({ trans_id: z.string(), indirect_partner_id: z.string(), amount: ApiAmount, currency: ApiCurrency, replayed: Replayed });
const AdjustRecordsResponse = z.object({
  total_count: ApiTotalCount,
  records: z.array(
    z.object({
      trans_id: z.string(),
      customer_id: z.string(),
      customer_name: z.null(),
      operation_type: z.enum(Object.keys(OPERATION_TYPES) as [keyof typeof OPERATION_TYPES]),
      amount: ApiAmount,
      currency: ApiCurrency,
      measure_id: z.literal(1),
      operation_time: ApiTimestamp,
      apply_scene: z.null(),
      memo: z.null(),
      operator: z.string(),
    }),
  ),
});
const ChangeRecordsResponse = z.object({
  total_count: ApiTotalCount,
  currency: ApiCurrency,
  records: z.array(
    z.object({
      account_change_id: z.string(),
      trade_id: z.string(),
      trade_detail_type: z.string(),
      trade_time: ApiTimestamp,
      change_amount: ApiAmount,
      balance_after_change: ApiAmount,
      type: z.enum(['1', '2']).describe('1 income, 2 expense'),
      account_type: z.number().int().nullable(),
      entry_type: z.string(),
      customer_id: z.string().nullable(),
    }),
  ),
});
const ThresholdResponse = z.object({ threshold: ApiAmount, currency: ApiCurrency, armed: z.boolean() });
const InsufficientBalance = { status: 400, code: 'CBC.99005003', when: 'the paying account holds less than the amount' };
const NotOwnReseller = { status: 400, code: 'CBC.99000037', when: 'indirect_partner_id is not one of the caller\'s tier-2 resellers' };

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
  @ApiRoute({ summary: 'The partner\'s account balances (ListPartnerBalances)', response: PartnerBalancesResponse, errors: [NotOwnReseller] })
  async balances(@ValidQuery(BalancesQuery) { indirect_partner_id }: z.infer<typeof BalancesQuery>, @CurrentPrincipal() principal: Principal) {
    const scope = scopeOf(principal);
    if (indirect_partner_id) await this.partners.requireOwnReseller(scope, indirect_partner_id);
    return partnerBalancesView(await this.ledger.accountsOf('partner', indirect_partner_id ?? scope.partnerId));
  }

  @Post('v2/accounts/partner-accounts/adjust-amount')
  @HttpCode(200)
  @ApiRoute({ summary: 'Funds a customer from the partner\'s cash (UpdateCustomerAccountAmount)', response: FundResponse, errors: [InsufficientBalance] })
  async fund(@ValidBody(AdjustBody) input: z.infer<typeof AdjustBody>, @CurrentPrincipal() principal: Principal) {
    const posted = await this.accounts.fundCustomer(scopeOf(principal), { customerId: input.customer_id, amount: input.amount, requestId: input.request_id });
    return { transfer_id: posted.entry.id, customer_id: input.customer_id, amount: input.amount.toString(), currency: input.amount.currencyCode, replayed: !posted.created };
  }

  /** Funding a tier-2 reseller (the public API's indirect-partner-adjust). */
  @Post('v2/accounts/partner-accounts/indirect-partner-adjust')
  @HttpCode(200)
  @ApiRoute({ summary: 'Funds a tier-2 reseller from the partner\'s cash (UpdateIndirectPartnerAccount)', response: FundResellerResponse, errors: [InsufficientBalance, NotOwnReseller] })
  async fundReseller(@ValidBody(ResellerBody) input: z.infer<typeof ResellerBody>, @CurrentPrincipal() principal: Principal) {
    const posted = await this.accounts.fundReseller(scopeOf(principal), { resellerId: input.indirect_partner_id, amount: input.amount, requestId: input.request_id });
    return { transfer_id: posted.entry.id, indirect_partner_id: input.indirect_partner_id, amount: input.amount.toString(), currency: input.amount.currencyCode, replayed: !posted.created };
  }

  /** Reclaiming from a tier-2 reseller (the same conventions). */
  @Post('v2/accounts/partner-accounts/indirect-partner-reclaim')
  @HttpCode(200)
  @ApiRoute({ summary: 'Takes back an amount from a tier-2 reseller (ReclaimIndirectPartnerAccount)', response: ReclaimResellerResponse, errors: [InsufficientBalance, NotOwnReseller] })
  async reclaimFromReseller(@ValidBody(ResellerBody) input: z.infer<typeof ResellerBody>, @CurrentPrincipal() principal: Principal) {
    const posted = await this.accounts.reclaimFromReseller(scopeOf(principal), { resellerId: input.indirect_partner_id, amount: input.amount, requestId: input.request_id });
    return { trans_id: posted.entry.id, indirect_partner_id: input.indirect_partner_id, amount: input.amount.toString(), currency: input.amount.currencyCode, replayed: !posted.created };
  }

  @Post('v2/accounts/partner-accounts/reclaim')
  @HttpCode(200)
  @ApiRoute({ summary: 'Takes back an amount from a customer (ReclaimPartnerAccountBalances)', response: ReclaimResponse, errors: [InsufficientBalance] })
  async reclaim(@ValidBody(AdjustBody) input: z.infer<typeof AdjustBody>, @CurrentPrincipal() principal: Principal) {
    const posted = await this.accounts.reclaimFromCustomer(scopeOf(principal), { customerId: input.customer_id, amount: input.amount, requestId: input.request_id });
    return { trans_id: posted.entry.id, customer_id: input.customer_id, amount: input.amount.toString(), currency: input.amount.currencyCode, replayed: !posted.created };
  }

  @Get('v3/accounts/partner-accounts/adjust-records')
  @ApiRoute({ summary: 'Funding and reclaiming records (ListPartnerAdjustRecords)', response: AdjustRecordsResponse })
  async adjustRecords(@ValidQuery(AdjustRecordsQuery) q: z.infer<typeof AdjustRecordsQuery>, @CurrentPrincipal() principal: Principal) {
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
  @ApiRoute({ summary: 'Income and expense records of the partner\'s accounts (ListPartnerAccountChangeRecords)', response: ChangeRecordsResponse })
  async changeRecords(@ValidQuery(ChangeRecordsQuery) q: z.infer<typeof ChangeRecordsQuery>, @CurrentPrincipal() principal: Principal) {
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
  @ApiRoute({ summary: 'Sets the cash balance under which the partner is alerted', response: ThresholdResponse })
  async setThreshold(@ValidBody(ThresholdBody) { threshold }: z.infer<typeof ThresholdBody>, @CurrentPrincipal() principal: Principal) {
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
  @ApiRoute({ summary: 'Credits one of a partner\'s accounts (idempotent by request_id)', response: z.object({ trans_id: z.string(), replayed: Replayed, ...OperatorBalances }) })
  async recharge(@ValidBody(RechargeBody) input: z.infer<typeof RechargeBody>, @CurrentPrincipal() principal: Principal | undefined) {
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
  @ApiRoute({ summary: 'A partner\'s balances', response: z.object({ partner_id: z.string(), ...OperatorBalances }) })
  async balances(@ValidQuery(PartnerQuery) { partner_id }: z.infer<typeof PartnerQuery>) {
    return { partner_id, ...balancesView(await this.ledger.accountsOf('partner', partner_id)) };
  }

  /** Re-derives every balance from the postings: empty lists mean the books are consistent. */
  @Get('ledger/check')
  @ApiRoute({
    summary: 'Re-derives every balance from the postings (empty lists: the books are consistent)',
    response: z.object({
      accounts_checked: z.number().int(),
      entries_checked: z.number().int(),
      balance_mismatches: z.array(z.object({ account_id: z.string(), kept_minor: z.string(), derived_minor: z.string() })),
      unbalanced_entries: z.array(z.object({ entry_id: z.string(), currency: z.string(), sum_minor: z.string() })),
      negative_balances: z.array(z.object({ account_id: z.string(), balance_minor: z.string() })),
    }),
  })
  check() {
    return this.ledger.check();
  }
}
