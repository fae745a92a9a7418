import { Injectable } from '@nestjs/common';
import { PartnerScope } from '@settle/auth';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConflictError, NotFoundError, WithdrawalStatusChangedV1 } from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { Money } from '@settle/money';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { partnerAccount, platformAccount } from '../ledger/accounts.service';
import { LedgerService } from '../ledger/ledger.service';
import { transfer } from '../ledger/postings';
import { Withdrawal, WithdrawalStatus } from './withdrawal.entity';

/**
 * Withdrawals through the ledger: apply holds the amount (cash → withdrawal-hold, refused with
 * CBC.99005003 when the cash is short, concurrent applications serialized by the account lock),
 * reject releases it with a reversing entry, pay moves it to the platform's payout account. Each
 * step is one transaction with its ledger entry and its event; each ledger entry's key is the
 * withdrawal id + step, so a retried step never moves money twice.
 */
@Injectable()
export class WithdrawalsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly outbox: OutboxWriter,
  ) {}

  async apply(scope: PartnerScope, request: { amount: Money; requestId: string; remark?: string | null }): Promise<{ withdrawal: Withdrawal; created: boolean }> {
    const input = { ...request, partnerId: scope.partnerId, by: scope.actor };
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const existing = await m.findOneBy(Withdrawal, { partnerId: input.partnerId, requestId: input.requestId });
      if (existing) {
        if (existing.amountMinor !== input.amount.minor.toString()) throw new ConflictError(`request_id ${input.requestId} was used for another amount.`);
        return { withdrawal: existing, created: false };
      }
      const id = randomUUID();
      const hold = await this.ledger.post(m, {
        entryType: 'withdrawal-hold',
        idempotencyKey: `withdrawal-${id}-hold`,
        partnerId: input.partnerId,
        createdBy: input.by,
        memo: `withdrawal ${id}`,
        postings: transfer(partnerAccount(input.partnerId, 'cash', input.amount.currencyCode), partnerAccount(input.partnerId, 'withdrawal-hold', input.amount.currencyCode), input.amount),
      });
      const now = hold.entry.createdAt;
      const withdrawal: Withdrawal = {
        id,
        partnerId: input.partnerId,
        requestId: input.requestId,
        currency: input.amount.currencyCode,
        amountMinor: input.amount.minor.toString(),
        status: 'applied',
        remark: input.remark ?? null,
        rejectReason: null,
        holdEntryId: hold.entry.id,
        settleEntryId: null,
        appliedAt: now,
        appliedBy: input.by,
        reviewedAt: null,
        reviewedBy: null,
        paidAt: null,
        paidBy: null,
        deletedAt: null,
      };
      await m.insert(Withdrawal, withdrawal);
      await this.publish(m, withdrawal, input.by, hold.entry.id, now);
      return { withdrawal, created: true };
    });
  }

  approve(id: string, by: string): Promise<Withdrawal> {
    return this.step(id, ['applied'], async (m, w, now) => {
      const next = { ...w, status: 'approved' as const, reviewedAt: now, reviewedBy: by };
      await m.update(Withdrawal, { id }, { status: next.status, reviewedAt: now, reviewedBy: by });
      await this.publish(m, next, by, null, now);
      return next;
    });
  }

  reject(id: string, reason: string, by: string): Promise<Withdrawal> {
    return this.step(id, ['applied', 'approved'], async (m, w, now) => {
      const release = await this.ledger.reverse(m, w.holdEntryId, { entryType: 'withdrawal-release', idempotencyKey: `withdrawal-${id}-release`, partnerId: w.partnerId, createdBy: by, memo: reason });
      const next = { ...w, status: 'rejected' as const, rejectReason: reason, reviewedAt: now, reviewedBy: by, settleEntryId: release.entry.id };
      await m.update(Withdrawal, { id }, { status: next.status, rejectReason: reason, reviewedAt: now, reviewedBy: by, settleEntryId: release.entry.id });
      await this.publish(m, next, by, release.entry.id, now);
      return next;
    });
  }

  pay(id: string, by: string): Promise<Withdrawal> {
    return this.step(id, ['approved'], async (m, w, now) => {
      const amount = Money.fromMinor(w.amountMinor, w.currency);
      const payout = await this.ledger.post(m, {
        entryType: 'withdrawal-payout',
        idempotencyKey: `withdrawal-${id}-payout`,
        partnerId: w.partnerId,
        createdBy: by,
        memo: `withdrawal ${id}`,
        postings: transfer(partnerAccount(w.partnerId, 'withdrawal-hold', w.currency), platformAccount('withdrawal-payouts', w.currency), amount),
      });
      const next = { ...w, status: 'paid' as const, paidAt: now, paidBy: by, settleEntryId: payout.entry.id };
      await m.update(Withdrawal, { id }, { status: next.status, paidAt: now, paidBy: by, settleEntryId: payout.entry.id });
      await this.publish(m, next, by, payout.entry.id, now);
      return next;
    });
  }

  /** Removes a rejected application from the partner's list; any other status is 409. */
  async remove(scope: PartnerScope, id: string): Promise<void> {
    await inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const w = await m.findOne(Withdrawal, { where: { id, partnerId: scope.partnerId, deletedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
      if (!w) throw new NotFoundError(`Withdrawal ${id} does not exist.`);
      if (w.status !== 'rejected') throw new ConflictError(`Withdrawal ${id} is ${w.status}; only a rejected application can be deleted.`);
      await m.update(Withdrawal, { id }, { deletedAt: new Date() });
    });
  }

  /** The partner's own applications (deleted ones hidden). */
  list(scope: PartnerScope, q: { status?: WithdrawalStatus; offset: number; limit: number }): Promise<[Withdrawal[], number]> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) =>
      m.getRepository(Withdrawal).findAndCount({ where: { partnerId: scope.partnerId, deletedAt: IsNull(), status: q.status }, order: { appliedAt: 'DESC', id: 'DESC' }, skip: q.offset, take: q.limit }),
    );
  }

  /** Operator: every partner's applications, deleted ones included; `partnerId` narrows to one. */
  operatorList(q: { partnerId?: string; status?: WithdrawalStatus; offset: number; limit: number }): Promise<[Withdrawal[], number]> {
    return inSystemScope(this.dataSource, (m) =>
      m.getRepository(Withdrawal).findAndCount({ where: { partnerId: q.partnerId, status: q.status }, order: { appliedAt: 'DESC', id: 'DESC' }, skip: q.offset, take: q.limit }),
    );
  }

  /** One of the partner's applications (404 for anyone else's). */
  async get(scope: PartnerScope, id: string): Promise<Withdrawal> {
    const w = await inPartnerScope(this.dataSource, scope.partnerId, (m) => m.findOneBy(Withdrawal, { id, partnerId: scope.partnerId, deletedAt: IsNull() }));
    if (!w) throw new NotFoundError(`Withdrawal ${id} does not exist.`);
    return w;
  }

  /** An operator's review step. */
  private step(id: string, from: WithdrawalStatus[], apply: (m: EntityManager, w: Withdrawal, now: Date) => Promise<Withdrawal>): Promise<Withdrawal> {
    return inSystemScope(this.dataSource, async (m) => {
      const w = await m.findOne(Withdrawal, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!w) throw new NotFoundError(`Withdrawal ${id} does not exist.`);
      if (!from.includes(w.status)) throw new ConflictError(`Withdrawal ${id} is ${w.status}; this step needs it ${from.join(' or ')}.`);
      return apply(m, w, new Date());
    });
  }

  private async publish(m: EntityManager, w: Withdrawal, by: string, entryId: string | null, at: Date): Promise<void> {
    await this.outbox.append(
      m,
      WithdrawalStatusChangedV1,
      {
        withdrawal_id: w.id,
        partner_id: w.partnerId,
        status: w.status,
        amount: Money.fromMinor(w.amountMinor, w.currency).toString(),
        currency: w.currency,
        reason: w.rejectReason,
        entry_id: entryId,
        changed_at: at.toISOString(),
        changed_by: by,
      },
      { partitionKey: w.partnerId, subject: w.id },
    );
  }
}
