import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An account of the ledger. Its balance is kept in the same transaction as every posting to it, and can be re-derived from them. */
@Entity({ name: 'ledger_accounts' })
@Index('ledger_accounts_key', ['ownerKind', 'ownerId', 'accountType', 'currency'], { unique: true })
export class LedgerAccount {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  ownerKind!: string;

  @Column({ type: 'text' })
  ownerId!: string;

  @Column({ type: 'text' })
  accountType!: string;

  @Column({ type: 'text' })
  currency!: string;

  /** Platform counter-party accounts may go negative; partner and customer accounts may not. */
  @Column({ type: 'boolean' })
  allowNegative!: boolean;

  @Column({ type: 'bigint' })
  balanceMinor!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** A money movement. Immutable (a database trigger refuses UPDATE and DELETE); a correction is a reversing entry. */
@Entity({ name: 'journal_entries' })
@Index('journal_entries_idempotency_key', ['idempotencyKey'], { unique: true })
@Index('journal_entries_partner_idx', ['partnerId', 'createdAt'])
export class JournalEntry {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** customer-funding | customer-reclaim | recharge | withdrawal-hold | withdrawal-release | withdrawal-payout … */
  @Column({ type: 'text' })
  entryType!: string;

  /** Re-posting with the same key returns this entry instead of moving money twice. */
  @Column({ type: 'text' })
  idempotencyKey!: string;

  /** The partner the movement belongs to (for its records), if any. */
  @Column({ type: 'text', nullable: true })
  partnerId!: string | null;

  /** The customer involved (funding, reclaim), if any. */
  @Column({ type: 'text', nullable: true })
  customerId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  reversesEntryId!: string | null;

  @Column({ type: 'text', nullable: true })
  memo!: string | null;

  @Column({ type: 'text' })
  createdBy!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}

/** One leg of an entry. The postings of an entry sum to zero per currency. Immutable. */
@Entity({ name: 'postings' })
@Index('postings_account_idx', ['accountId', 'createdAt'])
@Index('postings_entry_idx', ['entryId'])
export class Posting {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  entryId!: string;

  @Column({ type: 'uuid' })
  accountId!: string;

  @Column({ type: 'bigint' })
  amountMinor!: string;

  @Column({ type: 'text' })
  currency!: string;

  /** The account's balance right after this posting (the income and expense records show it). */
  @Column({ type: 'bigint' })
  balanceAfterMinor!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}

/** A partner's balance-alert threshold on its cash account; `armed` until an alert fires, again once the balance recovers. */
@Entity({ name: 'balance_alerts' })
export class BalanceAlert {
  @PrimaryColumn({ type: 'text' })
  partnerId!: string;

  @PrimaryColumn({ type: 'text' })
  currency!: string;

  @Column({ type: 'bigint' })
  thresholdMinor!: string;

  @Column({ type: 'boolean' })
  armed!: boolean;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
