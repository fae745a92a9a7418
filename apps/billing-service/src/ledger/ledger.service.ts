import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BalanceAlertV1, InsufficientBalanceError } from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { Money } from '@settle/money';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { BalanceAlert, JournalEntry, LedgerAccount, Posting } from './ledger.entity';
import { AccountRef, PostingInput, accountKey, reversal, thresholdCrossing, validatePostings } from './postings';

export interface EntrySpec {
  entryType: string;
  /** The same key never moves money twice (a request id, an event id, a withdrawal id + step). */
  idempotencyKey: string;
  partnerId?: string | null;
  customerId?: string | null;
  reversesEntryId?: string | null;
  memo?: string | null;
  createdBy: string;
  postings: PostingInput[];
}

export interface Posted {
  entry: JournalEntry;
  postings: Posting[];
  /** false when the key had been posted before: nothing moved this time. */
  created: boolean;
}

export interface LedgerCheck {
  accounts_checked: number;
  entries_checked: number;
  /** Accounts whose kept balance differs from the sum of their postings. */
  balance_mismatches: { account_id: string; kept_minor: string; derived_minor: string }[];
  /** Entries whose postings do not sum to zero in some currency. */
  unbalanced_entries: { entry_id: string; currency: string; sum_minor: string }[];
  /** Accounts that may not go negative but are. */
  negative_balances: { account_id: string; balance_minor: string }[];
}

const describe = (a: AccountRef) => (a.ownerKind === 'platform' ? `the platform's ${a.accountType} account` : `the ${a.accountType} account of ${a.ownerKind} ${a.ownerId}`);

/**
 * The double-entry ledger. Every money movement is a journal entry posted here, in the caller's
 * transaction: its postings balance per currency, the accounts it touches are locked in id order
 * (no deadlocks between concurrent movements), an account that may not go negative refuses with
 * CBC.99005003, balances change with the postings, and a partner's cash crossing below its alert
 * threshold publishes an alert. Entries are immutable; `reverse` undoes one with a new entry.
 */
@Injectable()
export class LedgerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  async post(m: EntityManager, spec: EntrySpec): Promise<Posted> {
    validatePostings(spec.postings);
    const now = new Date();
    const entry: JournalEntry = {
      id: randomUUID(),
      entryType: spec.entryType,
      idempotencyKey: spec.idempotencyKey,
      partnerId: spec.partnerId ?? null,
      customerId: spec.customerId ?? null,
      reversesEntryId: spec.reversesEntryId ?? null,
      memo: spec.memo ?? null,
      createdBy: spec.createdBy,
      createdAt: now,
    };
    // The key first: a concurrent post of the same key waits here for the other to commit, then finds it.
    const inserted: unknown[] = await m.query(
      `INSERT INTO journal_entries (id, entry_type, idempotency_key, partner_id, customer_id, reverses_entry_id, memo, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [entry.id, entry.entryType, entry.idempotencyKey, entry.partnerId, entry.customerId, entry.reversesEntryId, entry.memo, entry.createdBy, now],
    );
    if (inserted.length === 0) {
      const existing = await m.findOneByOrFail(JournalEntry, { idempotencyKey: spec.idempotencyKey });
      return { entry: existing, postings: await m.find(Posting, { where: { entryId: existing.id } }), created: false };
    }
    const accounts = await this.lockAccounts(m, spec.postings.map((p) => p.account));
    const postings: Posting[] = [];
    const moves: { account: LedgerAccount; before: bigint; after: bigint }[] = [];
    for (const p of spec.postings) {
      const account = accounts.get(accountKey(p.account))!;
      const before = BigInt(account.balanceMinor);
      const after = before + p.amount.minor;
      if (after < 0n && !account.allowNegative) {
        throw new InsufficientBalanceError(
          `Insufficient balance: ${describe(p.account)} holds ${Money.fromMinor(before, account.currency).toString()} ${account.currency}, ${p.amount.negate().toString()} requested.`,
        );
      }
      account.balanceMinor = after.toString();
      moves.push({ account, before, after });
      postings.push({ id: randomUUID(), entryId: entry.id, accountId: account.id, amountMinor: p.amount.minor.toString(), currency: account.currency, balanceAfterMinor: after.toString(), createdAt: now });
    }
    await m.insert(Posting, postings);
    for (const { account } of moves) await m.update(LedgerAccount, { id: account.id }, { balanceMinor: account.balanceMinor, updatedAt: now });
    for (const move of moves) await this.alertOnCrossing(m, entry, move);
    return { entry, postings, created: true };
  }

  /** Undoes an entry with the opposite postings (the original stays as it was). */
  async reverse(m: EntityManager, entryId: string, spec: Omit<EntrySpec, 'postings' | 'reversesEntryId'>): Promise<Posted> {
    const original = await m.findOneByOrFail(JournalEntry, { id: entryId });
    const legs = await m.find(Posting, { where: { entryId } });
    const byId = new Map((await m.findBy(LedgerAccount, { id: In(legs.map((l) => l.accountId)) })).map((a) => [a.id, a]));
    const postings = legs.map((l) => {
      const a = byId.get(l.accountId)!;
      return { account: { ownerKind: a.ownerKind as AccountRef['ownerKind'], ownerId: a.ownerId, accountType: a.accountType, currency: a.currency }, amount: Money.fromMinor(l.amountMinor, l.currency) };
    });
    return this.post(m, { ...spec, partnerId: spec.partnerId ?? original.partnerId, customerId: spec.customerId ?? original.customerId, reversesEntryId: entryId, postings: reversal(postings) });
  }

  /** Creates missing accounts, then locks all of them FOR UPDATE in id order. */
  private async lockAccounts(m: EntityManager, refs: AccountRef[]): Promise<Map<string, LedgerAccount>> {
    const now = new Date();
    for (const ref of refs) {
      await m.query(
        `INSERT INTO ledger_accounts (id, owner_kind, owner_id, account_type, currency, allow_negative, balance_minor, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7) ON CONFLICT (owner_kind, owner_id, account_type, currency) DO NOTHING`,
        [randomUUID(), ref.ownerKind, ref.ownerId, ref.accountType, ref.currency, ref.ownerKind === 'platform', now],
      );
    }
    const found = new Map<string, LedgerAccount>();
    for (const ref of refs) {
      const row = await m.findOneByOrFail(LedgerAccount, { ownerKind: ref.ownerKind, ownerId: ref.ownerId, accountType: ref.accountType, currency: ref.currency });
      found.set(accountKey(ref), row);
    }
    const ids = [...found.values()].map((a) => a.id).sort();
    const locked = await m.query(`SELECT id, balance_minor FROM ledger_accounts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
    for (const row of locked as { id: string; balance_minor: string }[]) {
      for (const a of found.values()) if (a.id === row.id) a.balanceMinor = row.balance_minor;
    }
    return found;
  }

  private async alertOnCrossing(m: EntityManager, entry: JournalEntry, move: { account: LedgerAccount; before: bigint; after: bigint }): Promise<void> {
    const { account, before, after } = move;
    if (account.ownerKind !== 'partner' || account.accountType !== 'cash') return;
    const alert = await m.findOne(BalanceAlert, { where: { partnerId: account.ownerId, currency: account.currency }, lock: { mode: 'pessimistic_write' } });
    if (!alert) return;
    const crossing = thresholdCrossing(before, after, BigInt(alert.thresholdMinor));
    if (crossing === 'recovered' && !alert.armed) await m.update(BalanceAlert, { partnerId: alert.partnerId, currency: alert.currency }, { armed: true, updatedAt: new Date() });
    if (crossing === 'fell-below' && alert.armed) {
      await m.update(BalanceAlert, { partnerId: alert.partnerId, currency: alert.currency }, { armed: false, updatedAt: new Date() });
      await this.outbox.append(
        m,
        BalanceAlertV1,
        {
          partner_id: account.ownerId,
          currency: account.currency,
          balance: Money.fromMinor(after, account.currency).toString(),
          threshold: Money.fromMinor(alert.thresholdMinor, account.currency).toString(),
          entry_id: entry.id,
          crossed_at: entry.createdAt.toISOString(),
        },
        { partitionKey: account.ownerId, subject: account.ownerId },
      );
    }
  }

  /** Sets a partner's alert threshold; armed when the balance is at or above it now. */
  async setThreshold(partnerId: string, threshold: Money): Promise<BalanceAlert> {
    return this.dataSource.transaction(async (m) => {
      const cash = await m.findOneBy(LedgerAccount, { ownerKind: 'partner', ownerId: partnerId, accountType: 'cash', currency: threshold.currencyCode });
      const row: BalanceAlert = { partnerId, currency: threshold.currencyCode, thresholdMinor: threshold.minor.toString(), armed: BigInt(cash?.balanceMinor ?? '0') >= threshold.minor, updatedAt: new Date() };
      await m.upsert(BalanceAlert, row, ['partnerId', 'currency']);
      return row;
    });
  }

  threshold(partnerId: string, currency: string): Promise<BalanceAlert | null> {
    return this.dataSource.getRepository(BalanceAlert).findOneBy({ partnerId, currency });
  }

  accountsOf(ownerKind: string, ownerId: string): Promise<LedgerAccount[]> {
    return this.dataSource.getRepository(LedgerAccount).find({ where: { ownerKind, ownerId }, order: { accountType: 'ASC', currency: 'ASC' } });
  }

  /** Re-derives every balance from the postings and checks every entry balances: the ledger's self-check. */
  async check(): Promise<LedgerCheck> {
    const ds = this.dataSource;
    const [{ accounts }] = await ds.query(`SELECT count(*)::int AS accounts FROM ledger_accounts`);
    const [{ entries }] = await ds.query(`SELECT count(*)::int AS entries FROM journal_entries`);
    const mismatches = await ds.query(
      `SELECT a.id AS account_id, a.balance_minor::text AS kept_minor, COALESCE(sum(p.amount_minor), 0)::text AS derived_minor
         FROM ledger_accounts a LEFT JOIN postings p ON p.account_id = a.id
        GROUP BY a.id, a.balance_minor HAVING a.balance_minor <> COALESCE(sum(p.amount_minor), 0)`,
    );
    const unbalanced = await ds.query(`SELECT entry_id, currency, sum(amount_minor)::text AS sum_minor FROM postings GROUP BY entry_id, currency HAVING sum(amount_minor) <> 0`);
    const negative = await ds.query(`SELECT id AS account_id, balance_minor::text AS balance_minor FROM ledger_accounts WHERE NOT allow_negative AND balance_minor < 0`);
    return { accounts_checked: accounts, entries_checked: entries, balance_mismatches: mismatches, unbalanced_entries: unbalanced, negative_balances: negative };
  }
}
