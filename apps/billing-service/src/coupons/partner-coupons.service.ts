import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartnerScope } from '@settle/auth';
import { BadParameterError, ConflictError, NotFoundError, PartnerCouponIssuedV1, PartnerCouponReclaimedV1 } from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { Money } from '@settle/money';
import { inPartnerScope } from '@settle/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { CouponQuotasService, QUOTA_CURRENCY } from '../coupon-quotas/coupon-quotas.service';
import { CustomerOwnershipService } from '../customer-ownership/customer-ownership.service';
import { CouponStatus, PartnerCoupon, VOUCHER_COUPON } from './partner-coupon.entity';
import { CouponOperation, PartnerCouponRecord } from './partner-coupon-record.entity';

/** One customer of a batch issue that was refused, for the partner API's `error_details[]`. */
export interface RefusedCustomer {
  id: string;
  errorCode: string;
  errorMsg: string;
}

export interface CouponQuery {
  couponId?: string;
  customerId?: string;
  status?: number;
  offset: number;
  limit: number;
}

export interface CouponRecordQuery {
  operationTypes?: number[];
  quotaId?: string;
  couponIds?: string[];
  customerId?: string;
  offset: number;
  limit: number;
}

const newCouponId = () => randomUUID().replace(/-/g, '');
const money = (minor: bigint | string) => Money.fromMinor(minor, QUOTA_CURRENCY);

/** The status the partner API shows at `now`: reclaimed as stored, else not yet active, expired or usable by the dates. */
export function shownCouponStatus(c: PartnerCoupon, now: Date): number {
  if (c.status === CouponStatus.Reclaimed) return CouponStatus.Reclaimed;
  if (c.effectiveAt.getTime() > now.getTime()) return CouponStatus.NotActive;
  if (c.expireAt && c.expireAt.getTime() <= now.getTime()) return CouponStatus.Expired;
  return CouponStatus.Usable;
}

/**
 * Vouchers a partner issues to its own customers from its voucher quota (the partner API's
 * partner coupons): each issue pays the face value out of the quota and each reclaim puts the
 * unused balance back, in one transaction with the coupon, its record, the quota record and the
 * outbox event.
 */
@Injectable()
export class PartnerCouponsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly quotas: CouponQuotasService,
    private readonly ownership: CustomerOwnershipService,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * Issues one voucher of `faceValue` to each customer that is the caller's now; the others are
   * answered in `refused` (CBC.0101) and get nothing. The quota decides for the whole batch: if it
   * cannot pay every accepted customer, nothing is issued (CBC.99000013).
   */
  async issue(
    scope: PartnerScope,
    input: { quotaId: string; customerIds: string[]; faceValue: Money; validTime?: Date; expireTime?: Date; memo?: string },
  ): Promise<{ issued: { customerId: string; couponId: string }[]; refused: RefusedCustomer[] }> {
    const now = new Date();
    const accepted: string[] = [];
    const refused: RefusedCustomer[] = [];
    for (const customerId of input.customerIds) {
      const owner = await this.ownership.ownerAt(customerId, now);
      if (owner?.partnerId === scope.partnerId) accepted.push(customerId);
      else refused.push({ id: customerId, errorCode: 'CBC.0101', errorMsg: `Customer ${customerId} is not one of your customers.` });
    }
    if (input.validTime && input.expireTime && input.expireTime.getTime() <= input.validTime.getTime()) {
      throw new BadParameterError('expire_time: must be later than valid_time.');
    }
    if (accepted.length === 0) return { issued: [], refused };
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const ids = accepted.map(() => newCouponId());
      const { quota, balanceAfter } = await this.quotas.payCoupons(m, scope, input.quotaId, input.faceValue, ids);
      const effectiveAt = input.validTime ?? (quota.effectiveAt.getTime() > now.getTime() ? quota.effectiveAt : now);
      const expireAt = input.expireTime ?? quota.expireAt;
      const issued: { customerId: string; couponId: string }[] = [];
      for (const [i, customerId] of accepted.entries()) {
        const coupon: PartnerCoupon = {
          id: ids[i],
          issuerPartnerId: scope.partnerId,
          customerId,
          quotaId: quota.id,
          couponType: VOUCHER_COUPON,
          currency: quota.currency,
          faceValueMinor: input.faceValue.minor.toString(),
          balanceMinor: input.faceValue.minor.toString(),
          status: CouponStatus.Usable,
          effectiveAt,
          expireAt,
          memo: input.memo ?? null,
          createdBy: scope.actor,
          createdAt: now,
          updatedAt: now,
        };
        await m.insert(PartnerCoupon, coupon);
        await this.record(m, coupon, CouponOperation.Issue, input.faceValue, scope.actor, input.memo ?? null, now);
        await this.outbox.append(
          m,
          PartnerCouponIssuedV1,
          {
            coupon_id: coupon.id,
            partner_id: scope.partnerId,
            customer_id: customerId,
            quota_id: quota.id,
            currency: coupon.currency,
            operator: scope.actor,
            face_value: input.faceValue.toString(),
            quota_balance_after: balanceAfter.toString(),
            effective_time: effectiveAt.toISOString(),
            expire_time: expireAt?.toISOString() ?? null,
            issued_at: now.toISOString(),
          },
          { partitionKey: scope.partnerId, subject: coupon.id },
        );
        issued.push({ customerId, couponId: coupon.id });
      }
      return { issued, refused };
    });
  }

  /** Takes back what a voucher the caller issued has left, into its quota. A reclaimed voucher is 409; another partner's is absent (404). */
  reclaim(scope: PartnerScope, couponId: string): Promise<{ reclaimed: Money; quotaBalance: Money }> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const [coupon] = await m.find(PartnerCoupon, { where: { id: couponId }, lock: { mode: 'pessimistic_write' } });
      if (!coupon || coupon.issuerPartnerId !== scope.partnerId) throw new NotFoundError(`Coupon ${couponId} does not exist or was not issued by you.`);
      if (coupon.status === CouponStatus.Reclaimed) throw new ConflictError(`Coupon ${couponId} was already reclaimed.`);
      const left = money(coupon.balanceMinor);
      const now = new Date();
      await m.update(PartnerCoupon, { id: coupon.id }, { balanceMinor: '0', status: CouponStatus.Reclaimed, updatedAt: now });
      // A used-up voucher is closed with nothing to give back; otherwise its balance returns to the quota.
      const quotaBalance = left.isPositive() ? await this.quotas.refundCoupon(m, scope, coupon.quotaId, left, coupon.id) : undefined;
      if (left.isPositive()) await this.record(m, coupon, CouponOperation.Reclaim, left, scope.actor, null, now);
      await this.outbox.append(
        m,
        PartnerCouponReclaimedV1,
        {
          coupon_id: coupon.id,
          partner_id: scope.partnerId,
          customer_id: coupon.customerId,
          quota_id: coupon.quotaId,
          currency: coupon.currency,
          operator: scope.actor,
          amount: left.toString(),
          quota_balance_after: (quotaBalance ?? money('0')).toString(),
          reclaimed_at: now.toISOString(),
        },
        { partitionKey: scope.partnerId, subject: coupon.id },
      );
      return { reclaimed: left, quotaBalance: quotaBalance ?? money('0') };
    });
  }

  /** The vouchers the caller issued, newest first. */
  issuedBy(scope: PartnerScope, q: CouponQuery): Promise<[PartnerCoupon[], number]> {
    return inPartnerScope(this.dataSource, scope.partnerId, async (m) => {
      const now = new Date();
      const qb = m.getRepository(PartnerCoupon).createQueryBuilder('c').where('c.issuer_partner_id = :caller', { caller: scope.partnerId });
      if (q.couponId) qb.andWhere('c.id = :couponId', { couponId: q.couponId });
      if (q.customerId) qb.andWhere('c.customer_id = :customerId', { customerId: q.customerId });
      if (q.status !== undefined) {
        // The status is partly derived from the dates, so the filter says the same as shownCouponStatus.
        const byStatus: Record<number, string> = {
          [CouponStatus.Reclaimed]: 'c.status = 5',
          [CouponStatus.NotActive]: 'c.status <> 5 AND c.effective_at > :now',
          [CouponStatus.Expired]: 'c.status <> 5 AND c.effective_at <= :now AND c.expire_at IS NOT NULL AND c.expire_at <= :now',
          [CouponStatus.Usable]: 'c.status <> 5 AND c.effective_at <= :now AND (c.expire_at IS NULL OR c.expire_at > :now)',
        };
        qb.andWhere(byStatus[q.status] ?? 'false', { now });
      }
      return qb.orderBy('c.createdAt', 'DESC').addOrderBy('c.id', 'ASC').skip(q.offset).take(q.limit).getManyAndCount();
    });
  }

  /** Issue and reclaim records of the caller's vouchers, newest first. */
  records(scope: PartnerScope, q: CouponRecordQuery): Promise<[PartnerCouponRecord[], number]> {
    return inPartnerScope(this.dataSource, scope.partnerId, (m) => {
      const where = {
        issuerPartnerId: scope.partnerId,
        ...(q.operationTypes?.length ? { operationType: In(q.operationTypes) } : {}),
        ...(q.quotaId ? { quotaId: q.quotaId } : {}),
        ...(q.couponIds ? { couponId: In(q.couponIds) } : {}),
        ...(q.customerId ? { customerId: q.customerId } : {}),
      };
      return m.getRepository(PartnerCouponRecord).findAndCount({ where, order: { operatedAt: 'DESC', id: 'ASC' }, skip: q.offset, take: q.limit });
    });
  }

  private async record(m: EntityManager, c: PartnerCoupon, operationType: number, amount: Money, operator: string, remark: string | null, at: Date): Promise<void> {
    await m.insert(PartnerCouponRecord, {
      id: randomUUID(),
      operationType,
      issuerPartnerId: c.issuerPartnerId,
      couponId: c.id,
      quotaId: c.quotaId,
      customerId: c.customerId,
      currency: c.currency,
      amountMinor: amount.minor.toString(),
      operator,
      remark,
      operatedAt: at,
    });
  }
}
