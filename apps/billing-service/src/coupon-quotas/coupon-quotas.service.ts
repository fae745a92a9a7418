import { Injectable } from '@nestjs/common';
import { PartnerScope } from '@settle/auth';
import { InjectDataSource } from '@nestjs/typeorm';
import { BadParameterError, CouponQuotaGrantedV1, CouponQuotaIssuedV1, CouponQuotaReclaimedV1, ErrorCodes, NotFoundError } from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { Money } from '@settle/money';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { PartnersService } from '../partners/partners.service';
import { CouponQuota, CouponQuotaRecord, QuotaOperation, QuotaStatus, VOUCHER_QUOTA } from './coupon-quota.entity';
import { QuotaMovement, deriveQuotaBalances } from './quota-derivation';

/** Voucher quotas are held in the platform's settlement currency; the partner API names none. */
export const QUOTA_CURRENCY = 'CNY';

/** The partner API's error codes for voucher quotas (all HTTP 400). */
export const QuotaErrors = {
  /** The quota does not exist, is not the caller's, or its status does not allow the operation. */
  QuotaNotFound: 'CBC.99000012',
  /** Not enough quota left to issue. */
  InsufficientQuota: 'CBC.99000013',
  /** The quota's status does not allow issuing. */
  QuotaStatusForbids: 'CBC.99000015',
  /** The quota is not in effect yet or has expired. */
  QuotaNotInEffect: 'CBC.99000017',
  /** The reseller is not the caller's tier-2 reseller (or does not exist: the same answer). */
  NotYourReseller: 'CBC.99000037',
} as const;

const newQuotaId = () => randomUUID().replace(/-/g, '');
const money = (minor: bigint | string) => Money.fromMinor(minor, QUOTA_CURRENCY);

export interface GrantInput {
  partnerId: string;
  amount: Money;
  effectiveAt?: Date;
  expireAt?: Date | null;
  remark?: string;
}

export interface QuotaQuery {
  quotaType: number;
  quotaIds?: string[];
  statuses?: number[];
  indirectPartnerId?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  effectiveAfter?: Date;
  effectiveBefore?: Date;
  expireAfter?: Date;
  expireBefore?: Date;
  offset: number;
  limit: number;
}

export interface RecordQuery {
  indirectPartnerId?: string;
  quotaId?: string;
  parentQuotaId?: string;
  operationType?: number;
  after?: Date;
  before?: Date;
  offset: number;
  limit: number;
}

/** A quota as callers see it, with its status derived at `now` (3 once expired). */
export interface QuotaView {
  quota: CouponQuota;
  status: number;
}

/** One item of a batch that was refused, for the partner API's `error_details[]`. */
export interface ItemError {
  id: string;
  errorCode: string;
  errorMsg: string;
}

export interface RecordView {
  record: CouponQuotaRecord;
  indirectPartnerName: string | null;
}

/** The status the partner API shows: a normal quota past its expiry is invalid (3). */
export function shownStatus(q: Pick<CouponQuota, 'status' | 'expireAt'>, now: Date): number {
  return q.status === QuotaStatus.Normal && q.expireAt !== null && q.expireAt.getTime() <= now.getTime() ? QuotaStatus.Invalid : q.status;
}

const STATUS_SQL = `(CASE WHEN q.status = ${QuotaStatus.Normal} AND q.expire_at IS NOT NULL AND q.expire_at <= now() THEN ${QuotaStatus.Invalid} ELSE q.status END)`;

/**
 * Voucher quotas (代金券额度). The platform grants a top-level partner a quota; a distributor or
 * tier-1 reseller issues parts of it to its own tier-2 resellers (each issue is a new quota of the
 * reseller, under the issuer's quota) and reclaims what they have not used. Every change is one
 * transaction: the quota rows, locked in id order, then an immutable record per movement with the
 * balances before and after, then the event in the outbox. A batch is answered per item, as the
 * partner API's batch calls are: the items that can apply do, in one transaction, and each refused
 * item is listed with its code and reason.
 */
@Injectable()
export class CouponQuotasService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly partners: PartnersService,
  ) {}

  /** The platform grants a top-level partner a new quota (operator API). */
  async grant(input: GrantInput, operator: string): Promise<CouponQuota> {
    const partner = await this.partners.get(input.partnerId);
    if (!partner) throw new NotFoundError(`Billing knows no partner ${input.partnerId} (yet): partners reach billing through customer-service's events.`);
    if (partner.kind === 'reseller' && partner.tier === 2) {
      throw new BadParameterError(`Partner ${input.partnerId} is a tier-2 reseller: it receives voucher quota from its distributor or tier-1 reseller, not from the platform.`);
    }
    const now = new Date();
    const effectiveAt = input.effectiveAt ?? now;
    const expireAt = input.expireAt ?? null;
    if (expireAt && expireAt.getTime() <= Math.max(effectiveAt.getTime(), now.getTime())) {
      throw new BadParameterError('Invalid parameter expire_time: must be later than the effective time and now.');
    }
    const quota: CouponQuota = {
      id: newQuotaId(),
      partnerId: input.partnerId,
      parentQuotaId: null,
      issuerPartnerId: null,
      quotaType: VOUCHER_QUOTA,
      currency: QUOTA_CURRENCY,
      valueMinor: input.amount.minor.toString(),
      balanceMinor: input.amount.minor.toString(),
      status: QuotaStatus.Normal,
      effectiveAt,
      expireAt,
      createdBy: operator,
      createdAt: now,
      updatedAt: now,
    };
    await inSystemScope(this.dataSource, async (m) => {
      await m.insert(CouponQuota, quota);
      const record = await this.record(m, {
        operationType: QuotaOperation.Grant,
        partnerId: quota.partnerId,
        indirectPartnerId: null,
        quotaId: quota.id,
        parentQuotaId: null,
        amountMinor: input.amount.minor,
        quotaBefore: 0n,
        quotaAfter: input.amount.minor,
        parentBefore: null,
        parentAfter: null,
        operator,
        remark: input.remark ?? null,
        at: now,
      });
      await this.outbox.append(
        m,
        CouponQuotaGrantedV1,
        {
          record_id: record.id,
          partner_id: quota.partnerId,
          quota_id: quota.id,
          currency: QUOTA_CURRENCY,
          amount: input.amount.toString(),
          effective_time: effectiveAt.toISOString(),
          expire_time: expireAt?.toISOString() ?? null,
          operator,
          granted_at: now.toISOString(),
        },
        { partitionKey: quota.partnerId, subject: quota.id },
      );
    });
    return quota;
  }

  /**
   * Issues `amount` from the caller's quota to each of its tier-2 resellers (a new quota each).
   * A reseller that is not the caller's (CBC.99000037, whether or not it exists) is listed in
   * `refused` and the others are issued. The quota itself decides for the whole request: not the
   * caller's (CBC.99000012), not usable now (CBC.99000015 / 99000017), or holding less than
   * amount × accepted resellers (CBC.99000013: nothing is issued rather than an arbitrary part).
   */
  async issue(scope: PartnerScope, input: { quotaId: string; indirectPartnerIds: string[]; amount: Money }): Promise<{ issued: { partnerId: string; quotaId: string }[]; refused: ItemError[] }> {
    const { partnerId: callerId, actor: operator } = scope;
    return inPartnerScope(this.dataSource, callerId, async (m) => {
      const accepted: string[] = [];
      const refused: ItemError[] = [];
      for (const resellerId of input.indirectPartnerIds) {
        if (await this.partners.isParentOf(callerId, resellerId, m)) accepted.push(resellerId);
        else refused.push({ id: resellerId, errorCode: QuotaErrors.NotYourReseller, errorMsg: notYourReseller(resellerId) });
      }
      const [parent] = await m.find(CouponQuota, { where: { id: input.quotaId }, lock: { mode: 'pessimistic_write' } });
      if (!parent || parent.partnerId !== callerId) throw quotaNotFound(input.quotaId);
      const now = new Date();
      const status = shownStatus(parent, now);
      if (status === QuotaStatus.Invalid || parent.effectiveAt.getTime() > now.getTime()) {
        throw new BadParameterError(`Voucher quota ${parent.id} is not in effect now (effective ${parent.effectiveAt.toISOString()}, expires ${parent.expireAt?.toISOString() ?? 'never'}).`, QuotaErrors.QuotaNotInEffect);
      }
      if (status !== QuotaStatus.Normal) throw new BadParameterError(`Voucher quota ${parent.id} has status ${status}; only a normal quota (0) issues.`, QuotaErrors.QuotaStatusForbids);
      // The quota decides for the whole request first; then, with no reseller left, nothing moves.
      if (accepted.length === 0) return { issued: [], refused };
      const total = input.amount.minor * BigInt(accepted.length);
      let balance = BigInt(parent.balanceMinor);
      if (balance < total) {
        const each = accepted.length > 1 ? ` (${input.amount.toString()} × ${accepted.length})` : '';
        throw new BadParameterError(`Insufficient voucher quota: ${parent.id} has ${money(balance).toString()} ${QUOTA_CURRENCY} left, ${money(total).toString()} requested${each}.`, QuotaErrors.InsufficientQuota);
      }
      const issued: { partnerId: string; quotaId: string }[] = [];
      for (const resellerId of accepted) {
        const child: CouponQuota = {
          id: newQuotaId(),
          partnerId: resellerId,
          parentQuotaId: parent.id,
          issuerPartnerId: callerId,
          quotaType: parent.quotaType,
          currency: parent.currency,
          valueMinor: input.amount.minor.toString(),
          balanceMinor: input.amount.minor.toString(),
          status: QuotaStatus.Normal,
          effectiveAt: now,
          expireAt: parent.expireAt,
          createdBy: operator,
          createdAt: now,
          updatedAt: now,
        };
        await m.insert(CouponQuota, child);
        const after = balance - input.amount.minor;
        const record = await this.record(m, {
          operationType: QuotaOperation.Issue,
          partnerId: callerId,
          indirectPartnerId: resellerId,
          quotaId: child.id,
          parentQuotaId: parent.id,
          amountMinor: input.amount.minor,
          quotaBefore: 0n,
          quotaAfter: input.amount.minor,
          parentBefore: balance,
          parentAfter: after,
          operator,
          remark: null,
          at: now,
        });
        await this.outbox.append(
          m,
          CouponQuotaIssuedV1,
          {
            ...movementFields(record),
            issued_at: now.toISOString(),
          },
          { partitionKey: callerId, subject: child.id },
        );
        balance = after;
        issued.push({ partnerId: resellerId, quotaId: child.id });
      }
      await m.update(CouponQuota, { id: parent.id }, { balanceMinor: balance.toString(), updatedAt: now });
      return { issued, refused };
    });
  }

  /**
   * Takes back unused quota from the caller's tier-2 resellers into the quotas it was issued from:
   * the whole unused balance (the public API), or `amount` from each (this platform's extension).
   * Answered per quota: one the caller did not issue (CBC.99000012, as if it did not exist), with
   * nothing left (CBC.99000012) or with less unused than `amount` (CBC.99005003) is listed in
   * `refused`; the others are reclaimed in one transaction.
   */
  async reclaim(scope: PartnerScope, input: { quotaIds: string[]; amount?: Money; remark?: string }): Promise<{ reclaimed: { quotaId: string; reclaimed: Money; balance: Money }[]; refused: ItemError[] }> {
    const { partnerId: callerId, actor: operator } = scope;
    return inPartnerScope(this.dataSource, callerId, async (m) => {
      const found = await m.find(CouponQuota, { where: { id: In(input.quotaIds) } });
      const byId = new Map(found.filter((q) => q.issuerPartnerId === callerId).map((q) => [q.id, q]));
      const refused: ItemError[] = [];
      const candidates: string[] = [];
      for (const id of input.quotaIds) {
        if (byId.has(id)) candidates.push(id);
        else refused.push({ id, errorCode: QuotaErrors.QuotaNotFound, errorMsg: quotaNotFoundMessage(id) });
      }
      const results: { quotaId: string; reclaimed: Money; balance: Money }[] = [];
      if (candidates.length === 0) return { reclaimed: results, refused };
      // Children and the quotas they return to, locked in one id order: no two movements deadlock.
      const lockIds = [...new Set([...candidates, ...candidates.map((id) => byId.get(id)!.parentQuotaId!)])].sort();
      const locked = new Map((await m.find(CouponQuota, { where: { id: In(lockIds) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } })).map((q) => [q.id, q]));
      const balances = new Map([...locked.values()].map((q) => [q.id, BigInt(q.balanceMinor)]));
      const now = new Date();
      for (const id of candidates) {
        const child = locked.get(id)!;
        const parentId = child.parentQuotaId!;
        const unused = balances.get(id)!;
        if (input.amount === undefined && unused === 0n) {
          refused.push({ id, errorCode: QuotaErrors.QuotaNotFound, errorMsg: `Voucher quota ${id} has nothing left to reclaim (status ${child.status}).` });
          continue;
        }
        const amount = input.amount?.minor ?? unused;
        if (amount > unused) {
          refused.push({ id, errorCode: ErrorCodes.InsufficientBalance, errorMsg: `Voucher quota ${id} has ${money(unused).toString()} ${QUOTA_CURRENCY} unused; ${money(amount).toString()} cannot be reclaimed.` });
          continue;
        }
        const parentBefore = balances.get(parentId)!;
        balances.set(id, unused - amount);
        balances.set(parentId, parentBefore + amount);
        const record = await this.record(m, {
          operationType: QuotaOperation.Reclaim,
          partnerId: callerId,
          indirectPartnerId: child.partnerId,
          quotaId: id,
          parentQuotaId: parentId,
          amountMinor: amount,
          quotaBefore: unused,
          quotaAfter: unused - amount,
          parentBefore,
          parentAfter: parentBefore + amount,
          operator,
          remark: input.remark ?? null,
          at: now,
        });
        await this.outbox.append(
          m,
          CouponQuotaReclaimedV1,
          { ...movementFields(record), remark: record.remark, reclaimed_at: now.toISOString() },
          { partitionKey: callerId, subject: id },
        );
        results.push({ quotaId: id, reclaimed: money(amount), balance: money(unused - amount) });
      }
      for (const [id, balance] of balances) {
        const before = locked.get(id)!;
        if (balance === BigInt(before.balanceMinor)) continue;
        const emptied = before.parentQuotaId !== null && balance === 0n;
        await m.update(CouponQuota, { id }, { balanceMinor: balance.toString(), updatedAt: now, ...(emptied ? { status: QuotaStatus.Reclaimed } : {}) });
      }
      return { reclaimed: results, refused };
    });
  }

  /** The caller's quotas, or (with indirectPartnerId) those of one of its tier-2 resellers. */
  query(scope: PartnerScope, q: QuotaQuery): Promise<[QuotaView[], number]> {
    const callerId = scope.partnerId;
    return inPartnerScope(this.dataSource, callerId, async (m) => {
    if (q.indirectPartnerId !== undefined) await this.requireOwnReseller(m, callerId, q.indirectPartnerId);
    const holder = q.indirectPartnerId ?? callerId;
    const qb = m.getRepository(CouponQuota).createQueryBuilder('q').where('q.partner_id = :holder', { holder }).andWhere('q.quota_type = :type', { type: q.quotaType });
    if (q.quotaIds?.length) qb.andWhere('q.id IN (:...ids)', { ids: q.quotaIds });
    if (q.statuses?.length) qb.andWhere(`${STATUS_SQL} IN (:...statuses)`, { statuses: q.statuses });
    range(qb, 'q.created_at', q.createdAfter, q.createdBefore, 'created');
    range(qb, 'q.effective_at', q.effectiveAfter, q.effectiveBefore, 'effective');
    range(qb, 'q.expire_at', q.expireAfter, q.expireBefore, 'expire');
    const [rows, total] = await qb.orderBy('q.createdAt', 'DESC').addOrderBy('q.id', 'ASC').skip(q.offset).take(q.limit).getManyAndCount();
    const now = new Date();
    return [rows.map((quota) => ({ quota, status: shownStatus(quota, now) })), total] as [QuotaView[], number];
    });
  }

  /** Quotas the caller issued to its tier-2 resellers, by issued quota, reseller or parent quota, with each reseller's name. */
  issued(scope: PartnerScope, q: { quotaId?: string; indirectPartnerId?: string; parentQuotaId?: string; offset: number; limit: number }): Promise<[(QuotaView & { indirectPartnerName: string | null })[], number]> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const qb = m.getRepository(CouponQuota).createQueryBuilder('q').where('q.issuer_partner_id = :caller', { caller: scope.partnerId });
      if (q.quotaId) qb.andWhere('q.id = :quotaId', { quotaId: q.quotaId });
      if (q.indirectPartnerId) qb.andWhere('q.partner_id = :reseller', { reseller: q.indirectPartnerId });
      if (q.parentQuotaId) qb.andWhere('q.parent_quota_id = :parent', { parent: q.parentQuotaId });
      const [rows, total] = await qb.orderBy('q.createdAt', 'DESC').addOrderBy('q.id', 'ASC').skip(q.offset).take(q.limit).getManyAndCount();
      const names = new Map<string, string | null>();
      for (const id of new Set(rows.map((r) => r.partnerId))) names.set(id, (await this.partners.get(id))?.name ?? null);
      const now = new Date();
      return [rows.map((quota) => ({ quota, status: shownStatus(quota, now), indirectPartnerName: names.get(quota.partnerId) ?? null })), total] as [(QuotaView & { indirectPartnerName: string | null })[], number];
    });
  }

  /** Issue and reclaim records the caller made, or that concern it as a tier-2 reseller. */
  async records(scope: PartnerScope, q: RecordQuery): Promise<[RecordView[], number]> {
    const callerId = scope.partnerId;
    const [rows, total] = await inPartnerScope(this.dataSource, callerId, async (m) => {
    if (q.indirectPartnerId !== undefined && q.indirectPartnerId !== callerId) await this.requireOwnReseller(m, callerId, q.indirectPartnerId);
    const qb = m
      .getRepository(CouponQuotaRecord)
      .createQueryBuilder('r')
      .where(new Brackets((w) => w.where('r.partner_id = :caller', { caller: callerId }).orWhere('r.indirect_partner_id = :caller', { caller: callerId })))
      .andWhere('r.operation_type IN (:...ops)', { ops: q.operationType ? [q.operationType] : [QuotaOperation.Issue, QuotaOperation.Reclaim] });
    if (q.indirectPartnerId) qb.andWhere('r.indirect_partner_id = :reseller', { reseller: q.indirectPartnerId });
    if (q.quotaId) qb.andWhere('r.quota_id = :quotaId', { quotaId: q.quotaId });
    if (q.parentQuotaId) qb.andWhere('r.parent_quota_id = :parentQuotaId', { parentQuotaId: q.parentQuotaId });
    range(qb, 'r.operated_at', q.after, q.before, 'operated');
    return qb.orderBy('r.operatedAt', 'DESC').addOrderBy('r.id', 'ASC').skip(q.offset).take(q.limit).getManyAndCount();
    });
    const resellerIds = [...new Set(rows.map((r) => r.indirectPartnerId).filter((id): id is string => id !== null))];
    const names = new Map<string, string>();
    for (const id of resellerIds) {
      const p = await this.partners.get(id);
      if (p) names.set(id, p.name);
    }
    return [rows.map((record) => ({ record, indirectPartnerName: record.indirectPartnerId ? (names.get(record.indirectPartnerId) ?? null) : null })), total];
  }

  /** Operator view: every quota a partner holds. */
  async heldBy(partnerId: string): Promise<QuotaView[]> {
    const rows = await inSystemScope(this.dataSource, (m) => m.getRepository(CouponQuota).find({ where: { partnerId }, order: { createdAt: 'ASC', id: 'ASC' } }));
    const now = new Date();
    return rows.map((quota) => ({ quota, status: shownStatus(quota, now) }));
  }

  /**
   * Re-derives the balance and value of every quota a partner holds or issued from from the
   * records alone, and lists where the stored quota disagrees (empty when the books are right).
   */
  check(partnerId: string): Promise<{ checked: number; mismatches: { quota_id: string; field: string; stored: string; derived: string }[] }> {
    return inSystemScope(this.dataSource, async (m) => {
    const quotas = await m
      .getRepository(CouponQuota)
      .createQueryBuilder('q')
      .where('q.partner_id = :p OR q.issuer_partner_id = :p', { p: partnerId })
      .getMany();
    const ids = quotas.map((q) => q.id);
    if (!ids.length) return { checked: 0, mismatches: [] };
    const records = await m
      .getRepository(CouponQuotaRecord)
      .createQueryBuilder('r')
      .where('r.quota_id IN (:...ids) OR r.parent_quota_id IN (:...ids)', { ids })
      .getMany();
    const derived = deriveQuotaBalances(records.map(movementOf));
    const mismatches: { quota_id: string; field: string; stored: string; derived: string }[] = [];
    for (const q of quotas) {
      const d = derived.get(q.id) ?? { valueMinor: 0n, balanceMinor: 0n };
      if (d.balanceMinor !== BigInt(q.balanceMinor)) mismatches.push({ quota_id: q.id, field: 'balance', stored: q.balanceMinor, derived: d.balanceMinor.toString() });
      if (d.valueMinor !== BigInt(q.valueMinor)) mismatches.push({ quota_id: q.id, field: 'value', stored: q.valueMinor, derived: d.valueMinor.toString() });
    }
    return { checked: quotas.length, mismatches };
    });
  }

  /**
   * Pays vouchers of `amount` each from the caller's quota, inside the caller's transaction `m`
   * (the coupons feature's): the quota must be the caller's, normal and in effect, and hold
   * `amount` × the number of coupons (CBC.99000013 otherwise, nothing paid). One quota record per
   * coupon (operation 20), so the quota stays re-derivable from its records.
   */
  async payCoupons(m: EntityManager, scope: PartnerScope, quotaId: string, amount: Money, couponIds: readonly string[]): Promise<{ quota: CouponQuota; balanceAfter: Money }> {
    const [quota] = await m.find(CouponQuota, { where: { id: quotaId }, lock: { mode: 'pessimistic_write' } });
    if (!quota || quota.partnerId !== scope.partnerId) throw quotaNotFound(quotaId);
    const now = new Date();
    const status = shownStatus(quota, now);
    if (status === QuotaStatus.Invalid || quota.effectiveAt.getTime() > now.getTime()) {
      throw new BadParameterError(`Voucher quota ${quota.id} is not in effect now (effective ${quota.effectiveAt.toISOString()}, expires ${quota.expireAt?.toISOString() ?? 'never'}).`, QuotaErrors.QuotaNotInEffect);
    }
    if (status !== QuotaStatus.Normal) throw new BadParameterError(`Voucher quota ${quota.id} has status ${status}; only a normal quota (0) pays vouchers.`, QuotaErrors.QuotaStatusForbids);
    const total = amount.minor * BigInt(couponIds.length);
    let balance = BigInt(quota.balanceMinor);
    if (balance < total) {
      const each = couponIds.length > 1 ? ` (${amount.toString()} × ${couponIds.length})` : '';
      throw new BadParameterError(`Insufficient voucher quota: ${quota.id} has ${money(balance).toString()} ${QUOTA_CURRENCY} left, ${money(total).toString()} requested${each}.`, QuotaErrors.InsufficientQuota);
    }
    for (const couponId of couponIds) {
      const after = balance - amount.minor;
      await this.record(m, { operationType: QuotaOperation.CouponIssue, partnerId: scope.partnerId, indirectPartnerId: null, quotaId, parentQuotaId: null, amountMinor: amount.minor, quotaBefore: balance, quotaAfter: after, parentBefore: null, parentAfter: null, operator: scope.actor, remark: `coupon ${couponId}`, at: now });
      balance = after;
    }
    await m.update(CouponQuota, { id: quotaId }, { balanceMinor: balance.toString(), updatedAt: now });
    return { quota, balanceAfter: money(balance) };
  }

  /** Puts what a reclaimed voucher had left back into the quota that paid it (operation 21), inside `m`. */
  async refundCoupon(m: EntityManager, scope: PartnerScope, quotaId: string, amount: Money, couponId: string): Promise<Money> {
    const [quota] = await m.find(CouponQuota, { where: { id: quotaId }, lock: { mode: 'pessimistic_write' } });
    if (!quota || quota.partnerId !== scope.partnerId) throw quotaNotFound(quotaId);
    const now = new Date();
    const before = BigInt(quota.balanceMinor);
    const after = before + amount.minor;
    await this.record(m, { operationType: QuotaOperation.CouponReclaim, partnerId: scope.partnerId, indirectPartnerId: null, quotaId, parentQuotaId: null, amountMinor: amount.minor, quotaBefore: before, quotaAfter: after, parentBefore: null, parentAfter: null, operator: scope.actor, remark: `coupon ${couponId}`, at: now });
    await m.update(CouponQuota, { id: quotaId }, { balanceMinor: after.toString(), updatedAt: now });
    return money(after);
  }

  /** The reseller must be a tier-2 reseller under the caller; anything else gets the same answer. */
  private async requireOwnReseller(m: EntityManager, callerId: string, resellerId: string): Promise<void> {
    if (!(await this.partners.isParentOf(callerId, resellerId, m))) {
      throw new BadParameterError(notYourReseller(resellerId), QuotaErrors.NotYourReseller);
    }
  }

  private async record(
    m: EntityManager,
    r: {
      operationType: number;
      partnerId: string;
      indirectPartnerId: string | null;
      quotaId: string;
      parentQuotaId: string | null;
      amountMinor: bigint;
      quotaBefore: bigint;
      quotaAfter: bigint;
      parentBefore: bigint | null;
      parentAfter: bigint | null;
      operator: string;
      remark: string | null;
      at: Date;
    },
  ): Promise<CouponQuotaRecord> {
    const record: CouponQuotaRecord = {
      id: randomUUID(),
      operationType: r.operationType,
      partnerId: r.partnerId,
      indirectPartnerId: r.indirectPartnerId,
      quotaId: r.quotaId,
      parentQuotaId: r.parentQuotaId,
      currency: QUOTA_CURRENCY,
      amountMinor: r.amountMinor.toString(),
      quotaBalanceBeforeMinor: r.quotaBefore.toString(),
      quotaBalanceAfterMinor: r.quotaAfter.toString(),
      parentBalanceBeforeMinor: r.parentBefore?.toString() ?? null,
      parentBalanceAfterMinor: r.parentAfter?.toString() ?? null,
      operator: r.operator,
      remark: r.remark,
      operatedAt: r.at,
    };
    await m.insert(CouponQuotaRecord, record);
    return record;
  }
}

const notYourReseller = (resellerId: string) => `Partner ${resellerId} is not one of your tier-2 resellers.`;
const quotaNotFoundMessage = (id: string) => `Voucher quota ${id} does not exist or is not yours to use.`;

function quotaNotFound(id: string): BadParameterError {
  return new BadParameterError(quotaNotFoundMessage(id), QuotaErrors.QuotaNotFound);
}

function movementFields(r: CouponQuotaRecord) {
  return {
    record_id: r.id,
    partner_id: r.partnerId,
    indirect_partner_id: r.indirectPartnerId!,
    quota_id: r.quotaId,
    parent_quota_id: r.parentQuotaId!,
    currency: r.currency,
    amount: money(r.amountMinor).toString(),
    quota_balance_after: money(r.quotaBalanceAfterMinor).toString(),
    parent_quota_balance_after: money(r.parentBalanceAfterMinor!).toString(),
    operator: r.operator,
  };
}

function movementOf(r: CouponQuotaRecord): QuotaMovement {
  return { operationType: r.operationType, quotaId: r.quotaId, parentQuotaId: r.parentQuotaId, amountMinor: BigInt(r.amountMinor) };
}

function range<T extends object>(qb: SelectQueryBuilder<T>, column: string, after: Date | undefined, before: Date | undefined, name: string): void {
  if (after) qb.andWhere(`${column} > :${name}After`, { [`${name}After`]: after });
  if (before) qb.andWhere(`${column} < :${name}Before`, { [`${name}Before`]: before });
}
