import { Money } from '@settle/money';
import { z } from 'zod';
import { LedgerAccount } from './ledger.entity';
import { PartnerAccountType } from './postings';

/**
 * The partner account API's field names, codes and JSON types as the provider's SDK models read them
 * (AccountBalanceV2, AdjustRecordV3, AccountChangeRecord). Codes are the public API's; Settle's own
 * words stay inside the service.
 */

/** AccountBalanceV2.account_type: 1 cash (余额), 2 credit, 5 reward, 7 deposit, 8 allocatable. */
export const ACCOUNT_TYPE_CODES: Record<Exclude<PartnerAccountType, 'withdrawal-hold'>, number> = { cash: 1, credit: 2, reward: 5, deposit: 7, allocatable: 8 };

/** The change-records filter `balance_type`: the cash (debit) and credit accounts. */
export const BALANCE_TYPES = { BALANCE_TYPE_DEBIT: 'cash', BALANCE_TYPE_CREDIT: 'credit' } as const satisfies Record<string, PartnerAccountType>;

/** Adjustment operation types of the public API, and the ledger entry each one is. */
export const OPERATION_TYPES = { SOURCE_OPERATION_BEADJUST: 'customer-funding', SOURCE_OPERATION_BERETRIEVE: 'customer-reclaim' } as const;
const OPERATION_TYPE_OF: Record<string, string> = { 'customer-funding': 'SOURCE_OPERATION_BEADJUST', 'customer-reclaim': 'SOURCE_OPERATION_BERETRIEVE' };

/** `trade_type` filter values of the public API and the ledger entries they cover. */
export const TRADE_TYPES: Record<string, readonly string[]> = {
  RECHARGE: ['recharge', 'incentive-payout', 'split-settlement'],
  BEADJUST: ['customer-funding', 'reseller-funding'],
  BERETRIEVE: ['customer-reclaim', 'reseller-reclaim'],
  TRANS: ['withdrawal-hold', 'withdrawal-release', 'withdrawal-payout'],
};

/**
 * What a `trade_type` filter selects: the public API's codes above, or (Settle's extension) one of
 * its own entry types, such as split-settlement or incentive-payout, alone.
 */
export const TradeTypeFilter = z
  .string()
  .refine((v) => v in TRADE_TYPES || Object.values(TRADE_TYPES).some((types) => types.includes(v)), {
    message: `must be one of ${Object.keys(TRADE_TYPES).join(', ')} or an entry type such as split-settlement`,
  })
  .transform((v): readonly string[] => TRADE_TYPES[v] ?? [v]);

/** `trade_detail_type` of a ledger entry (the public API's SOURCE_OPERA… codes, its spelling kept). */
const TRADE_DETAIL_TYPES: Record<string, string> = {
  recharge: 'SOURCE_OPERAIION_RECHARGE',
  'incentive-payout': 'SOURCE_OPERAIION_RECHARGE_REBATE',
  'split-settlement': 'SOURCE_OPERAIION_RECHARGE',
  'customer-funding': 'SOURCE_OPERATION_BEADJUST',
  'reseller-funding': 'SOURCE_OPERATION_BEADJUST',
  'customer-reclaim': 'SOURCE_OPERATION_BERETRIEVE',
  'reseller-reclaim': 'SOURCE_OPERATION_BERETRIEVE',
  'withdrawal-hold': 'SOURCE_OPERAIION_MANUALFROZE',
  'withdrawal-release': 'SOURCE_OPERAIION_MANUALUNFROZE',
  'withdrawal-payout': 'SOURCE_OPERAIION_MANUALCLEARFROZEN',
};

const decimal = (minor: string, currency: string) => Money.fromMinor(minor, currency).toString();

/**
 * AccountBalanceV2.amount is a Double in the SDK, so it goes out as a JSON number. The decimal text
 * of at most 15 significant digits converts to the double whose shortest form is that same text,
 * so the number the SDK reads is exactly the ledger's amount (balances stay far below 10^13 yuan).
 */
function jsonNumber(minor: string, currency: string): number {
  return Number(decimal(minor, currency));
}

export function partnerBalancesView(accounts: LedgerAccount[]) {
  return {
    account_balances: accounts
      .filter((a): a is LedgerAccount & { accountType: keyof typeof ACCOUNT_TYPE_CODES } => a.accountType in ACCOUNT_TYPE_CODES)
      .map((a) => ({ account_id: a.id, account_type: ACCOUNT_TYPE_CODES[a.accountType], amount: jsonNumber(a.balanceMinor, a.currency), currency: a.currency, measure_id: 1 })),
    /** Not in the public API: what pending withdrawals hold back. */
    held_for_withdrawal: accounts.filter((a) => a.accountType === 'withdrawal-hold').map((a) => ({ amount: decimal(a.balanceMinor, a.currency), currency: a.currency })),
  };
}

export interface AdjustRecordRow {
  id: string;
  entry_type: string;
  customer_id: string;
  created_at: Date;
  amount_minor: string;
  currency: string;
  created_by: string;
}

/** AdjustRecordV3 (customer_name is not known to billing: null), plus the operator. */
export function adjustRecordView(r: AdjustRecordRow) {
  return {
    trans_id: r.id,
    customer_id: r.customer_id,
    customer_name: null,
    operation_type: OPERATION_TYPE_OF[r.entry_type],
    // The customer's side of the movement, shown as the amount moved.
    amount: Money.fromMinor(r.amount_minor, r.currency).abs().toString(),
    currency: r.currency,
    measure_id: 1,
    operation_time: utcSeconds(r.created_at),
    apply_scene: null,
    memo: null,
    operator: r.created_by,
  };
}

export interface ChangeRecordRow {
  id: string;
  entry_id: string;
  entry_type: string;
  account_type: string;
  amount_minor: string;
  balance_after_minor: string;
  currency: string;
  created_at: Date;
  customer_id: string | null;
}

/** AccountChangeRecord: the amount moved and the type (1 income, 2 expense), plus the account and customer. */
export function changeRecordView(r: ChangeRecordRow) {
  const moved = Money.fromMinor(r.amount_minor, r.currency);
  return {
    account_change_id: r.id,
    trade_id: r.entry_id,
    trade_detail_type: TRADE_DETAIL_TYPES[r.entry_type] ?? r.entry_type,
    trade_time: utcSeconds(r.created_at),
    change_amount: moved.abs().toString(),
    balance_after_change: decimal(r.balance_after_minor, r.currency),
    type: moved.isNegative() ? '2' : '1',
    account_type: ACCOUNT_TYPE_CODES[r.account_type as keyof typeof ACCOUNT_TYPE_CODES] ?? null,
    entry_type: r.entry_type,
    customer_id: r.customer_id,
  };
}

/** The public API's times: UTC to the second, "2016-03-28T14:45:38Z". */
export function utcSeconds(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A change-records date bound: the public API's YYYY-MM-DD (a day at UTC+8, as the provider's
 * console counts them) or an ISO date-time. `end` bounds include the whole day.
 */
export function dayBound(end: boolean) {
  return z
    .string()
    .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) || !Number.isNaN(Date.parse(v)), { message: 'must be a date YYYY-MM-DD or a UTC date-time' })
    .transform((v) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(v);
      const start = new Date(`${v}T00:00:00+08:00`);
      return end ? new Date(start.getTime() + 24 * 3600 * 1000) : start;
    });
}
