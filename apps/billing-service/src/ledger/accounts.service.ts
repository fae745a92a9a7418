import { Injectable } from '@nestjs/common';
import { PartnerScope } from '@settle/auth';
import { InjectDataSource } from '@nestjs/typeorm';
import { NotFoundError } from '@settle/contracts';
import { Money } from '@settle/money';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { CustomerOwnership } from '../customer-ownership/customer-ownership.entity';
import { PartnersService } from '../partners/partners.service';
import { LedgerService, Posted } from './ledger.service';
import { AccountRef, PartnerAccountType, transfer } from './postings';

export const partnerAccount = (partnerId: string, accountType: PartnerAccountType, currency: string): AccountRef => ({ ownerKind: 'partner', ownerId: partnerId, accountType, currency });
export const customerAccount = (customerId: string, currency: string): AccountRef => ({ ownerKind: 'customer', ownerId: customerId, accountType: 'cash', currency });
export const platformAccount = (accountType: string, currency: string): AccountRef => ({ ownerKind: 'platform', ownerId: 'platform', accountType, currency });

/** The movements behind the partner account API: funding and reclaiming customers, recharges. */
@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly partners: PartnersService,
  ) {}

  /** A tier-1 reseller or distributor funds one of its tier-2 resellers' cash account. */
  async fundReseller(scope: PartnerScope, request: { resellerId: string; amount: Money; requestId?: string }): Promise<Posted> {
    const input = { ...request, partnerId: scope.partnerId, by: scope.actor };
    await this.partners.requireOwnReseller(scope, input.resellerId);
    return inPartnerScope(this.dataSource, scope.partnerId, (m) =>
      this.ledger.post(m, {
        entryType: 'reseller-funding',
        idempotencyKey: `reseller-funding-${input.partnerId}-${input.requestId ?? randomUUID()}`,
        partnerId: input.partnerId,
        memo: `to ${input.resellerId}`,
        createdBy: input.by,
        postings: transfer(partnerAccount(input.partnerId, 'cash', input.amount.currencyCode), partnerAccount(input.resellerId, 'cash', input.amount.currencyCode), input.amount),
      }),
    );
  }

  /** Takes money back from a tier-2 reseller's cash account to its parent's. */
  async reclaimFromReseller(scope: PartnerScope, request: { resellerId: string; amount: Money; requestId?: string }): Promise<Posted> {
    const input = { ...request, partnerId: scope.partnerId, by: scope.actor };
    await this.partners.requireOwnReseller(scope, input.resellerId);
    return inPartnerScope(this.dataSource, scope.partnerId, (m) =>
      this.ledger.post(m, {
        entryType: 'reseller-reclaim',
        idempotencyKey: `reseller-reclaim-${input.partnerId}-${input.requestId ?? randomUUID()}`,
        partnerId: input.partnerId,
        memo: `from ${input.resellerId}`,
        createdBy: input.by,
        postings: transfer(partnerAccount(input.resellerId, 'cash', input.amount.currencyCode), partnerAccount(input.partnerId, 'cash', input.amount.currencyCode), input.amount),
      }),
    );
  }

  /** The customer must be the partner's customer now (404 otherwise, whether or not it exists). */
  private async requireOwnCustomer(scope: PartnerScope, customerId: string): Promise<void> {
    const owned = await inPartnerScope(this.dataSource, scope.partnerId, (m) => m.existsBy(CustomerOwnership, { partnerId: scope.partnerId, customerId, effectiveTo: IsNull() }));
    if (!owned) throw new NotFoundError(`Customer ${customerId} is not one of your customers.`);
  }

  /** 拨款: moves money from the partner's cash account to its customer's account. */
  async fundCustomer(scope: PartnerScope, request: { customerId: string; amount: Money; requestId?: string }): Promise<Posted> {
    const input = { ...request, partnerId: scope.partnerId, by: scope.actor };
    await this.requireOwnCustomer(scope, input.customerId);
    return inPartnerScope(this.dataSource, scope.partnerId, (m) =>
      this.ledger.post(m, {
        entryType: 'customer-funding',
        idempotencyKey: `customer-funding-${input.partnerId}-${input.requestId ?? randomUUID()}`,
        partnerId: input.partnerId,
        customerId: input.customerId,
        createdBy: input.by,
        postings: transfer(partnerAccount(input.partnerId, 'cash', input.amount.currencyCode), customerAccount(input.customerId, input.amount.currencyCode), input.amount),
      }),
    );
  }

  /** 回收: takes money back from the customer's account to the partner's cash account. */
  async reclaimFromCustomer(scope: PartnerScope, request: { customerId: string; amount: Money; requestId?: string }): Promise<Posted> {
    const input = { ...request, partnerId: scope.partnerId, by: scope.actor };
    await this.requireOwnCustomer(scope, input.customerId);
    return inPartnerScope(this.dataSource, scope.partnerId, (m) =>
      this.ledger.post(m, {
        entryType: 'customer-reclaim',
        idempotencyKey: `customer-reclaim-${input.partnerId}-${input.requestId ?? randomUUID()}`,
        partnerId: input.partnerId,
        customerId: input.customerId,
        createdBy: input.by,
        postings: transfer(customerAccount(input.customerId, input.amount.currencyCode), partnerAccount(input.partnerId, 'cash', input.amount.currencyCode), input.amount),
      }),
    );
  }

  /** An operator credits a partner account (a recharge, a credit line, a reward) from the platform. */
  async recharge(input: { partnerId: string; accountType: PartnerAccountType; amount: Money; requestId: string; by: string }): Promise<Posted> {
    return inSystemScope(this.dataSource, (m) =>
      this.ledger.post(m, {
        entryType: 'recharge',
        idempotencyKey: `recharge-${input.partnerId}-${input.requestId}`,
        partnerId: input.partnerId,
        createdBy: input.by,
        postings: transfer(platformAccount('funding-source', input.amount.currencyCode), partnerAccount(input.partnerId, input.accountType, input.amount.currencyCode), input.amount),
      }),
    );
  }

  /** Adjustment records: the partner's fundings and reclaims. */
  async adjustRecords(scope: PartnerScope, q: { customerId?: string; operationType?: 'customer-funding' | 'customer-reclaim'; from?: Date; to?: Date; transId?: string; offset: number; limit: number }) {
    const where = [`e.partner_id = $1`, `e.entry_type IN ('customer-funding', 'customer-reclaim')`];
    const args: unknown[] = [scope.partnerId];
    if (q.customerId) where.push(`e.customer_id = $${args.push(q.customerId)}`);
    if (q.operationType) where.push(`e.entry_type = $${args.push(q.operationType)}`);
    if (q.from) where.push(`e.created_at >= $${args.push(q.from)}`);
    if (q.to) where.push(`e.created_at < $${args.push(q.to)}`);
    if (q.transId) where.push(`e.id = $${args.push(q.transId)}`);
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
    const [{ total }] = await m.query(`SELECT count(*)::int AS total FROM journal_entries e WHERE ${where.join(' AND ')}`, args);
    const rows: { id: string; entry_type: string; customer_id: string; created_at: Date; amount_minor: string; currency: string; created_by: string }[] = await m.query(
      `SELECT e.id, e.entry_type, e.customer_id, e.created_at, e.created_by, p.amount_minor::text, p.currency
         FROM journal_entries e
         JOIN postings p ON p.entry_id = e.id
         JOIN ledger_accounts a ON a.id = p.account_id AND a.owner_kind = 'customer'
        WHERE ${where.join(' AND ')}
        ORDER BY e.created_at DESC, e.id DESC OFFSET $${args.length + 1} LIMIT $${args.length + 2}`,
      [...args, q.offset, q.limit],
    );
    return { total: total as number, rows };
    });
  }

  /** Income and expense records: every posting on the partner's accounts, with the balance after it. */
  async changeRecords(scope: PartnerScope, q: { accountType?: string; entryTypes?: readonly string[]; from?: Date; to?: Date; offset: number; limit: number }) {
    const where = [`a.owner_kind = 'partner'`, `a.owner_id = $1`];
    const args: unknown[] = [scope.partnerId];
    if (q.accountType) where.push(`a.account_type = $${args.push(q.accountType)}`);
    if (q.entryTypes) where.push(`e.entry_type = ANY($${args.push([...q.entryTypes])})`);
    if (q.from) where.push(`p.created_at >= $${args.push(q.from)}`);
    if (q.to) where.push(`p.created_at < $${args.push(q.to)}`);
    const from = `FROM postings p JOIN ledger_accounts a ON a.id = p.account_id JOIN journal_entries e ON e.id = p.entry_id WHERE ${where.join(' AND ')}`;
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
    const [{ total }] = await m.query(`SELECT count(*)::int AS total ${from}`, args);
    const rows: { id: string; entry_id: string; entry_type: string; account_type: string; amount_minor: string; balance_after_minor: string; currency: string; created_at: Date; customer_id: string | null }[] =
      await m.query(
        `SELECT p.id, p.entry_id, e.entry_type, a.account_type, p.amount_minor::text, p.balance_after_minor::text, p.currency, p.created_at, e.customer_id
         ${from} ORDER BY p.created_at DESC, p.id DESC OFFSET $${args.length + 1} LIMIT $${args.length + 2}`,
        [...args, q.offset, q.limit],
      );
    return { total: total as number, rows };
    });
  }
}
