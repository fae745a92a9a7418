import { Money } from '@settle/money';

/** Who an account belongs to. Platform accounts are the counter-parties of money entering and leaving. */
export type OwnerKind = 'partner' | 'customer' | 'platform';

/** Partner account types of the domain, plus the hold that keeps applied withdrawals from being spent. */
export const PARTNER_ACCOUNT_TYPES = ['cash', 'credit', 'reward', 'deposit', 'allocatable', 'withdrawal-hold'] as const;
export type PartnerAccountType = (typeof PARTNER_ACCOUNT_TYPES)[number];

export interface AccountRef {
  ownerKind: OwnerKind;
  ownerId: string;
  accountType: string;
  currency: string;
}

export interface PostingInput {
  account: AccountRef;
  /** Signed: positive adds to the account's balance, negative takes from it. */
  amount: Money;
}

export class UnbalancedEntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnbalancedEntryError';
  }
}

export const accountKey = (a: AccountRef) => `${a.ownerKind}:${a.ownerId}:${a.accountType}:${a.currency}`;

/**
 * The rules every journal entry obeys, checked before anything is written: at least two postings,
 * none zero, each in its account's currency, one posting per account, and the postings of each
 * currency sum to exactly zero.
 */
export function validatePostings(postings: readonly PostingInput[]): void {
  if (postings.length < 2) throw new UnbalancedEntryError('a journal entry needs at least two postings');
  const sums = new Map<string, bigint>();
  const seen = new Set<string>();
  for (const p of postings) {
    if (p.amount.isZero()) throw new UnbalancedEntryError(`posting to ${accountKey(p.account)} is zero`);
    if (p.amount.currencyCode !== p.account.currency) throw new UnbalancedEntryError(`posting of ${p.amount.currencyCode} to ${accountKey(p.account)}, an account in ${p.account.currency}`);
    const key = accountKey(p.account);
    if (seen.has(key)) throw new UnbalancedEntryError(`two postings to ${key}`);
    seen.add(key);
    sums.set(p.amount.currencyCode, (sums.get(p.amount.currencyCode) ?? 0n) + p.amount.minor);
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0n) throw new UnbalancedEntryError(`postings in ${currency} sum to ${Money.fromMinor(sum, currency).toString()}, not 0`);
  }
}

/** A transfer of `amount` (> 0) from one account to another: the two postings of a simple entry. */
export function transfer(from: AccountRef, to: AccountRef, amount: Money): PostingInput[] {
  if (!amount.isPositive()) throw new UnbalancedEntryError(`a transfer moves a positive amount, not ${amount.toString()}`);
  return [
    { account: from, amount: amount.negate() },
    { account: to, amount },
  ];
}

/** The postings that undo an entry (a correction is a reversing entry; entries never change). */
export function reversal(postings: readonly PostingInput[]): PostingInput[] {
  return postings.map((p) => ({ account: p.account, amount: p.amount.negate() }));
}

/** Whether a balance moving from `before` to `after` crossed below `threshold` (an alert), or back to it or above (re-arm). */
export function thresholdCrossing(before: bigint, after: bigint, threshold: bigint): 'fell-below' | 'recovered' | null {
  if (before >= threshold && after < threshold) return 'fell-below';
  if (before < threshold && after >= threshold) return 'recovered';
  return null;
}
