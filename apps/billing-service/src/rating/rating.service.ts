import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AssociationType, ConflictError, NotFoundError, billCycleOf } from '@settle/contracts';
import { Decimal, Money } from '@settle/money';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { UsageRecord } from '../usage/usage-record.entity';
import { BillingCycle } from './billing-cycle.entity';
import { PartnerDiscount } from './partner-discount.entity';
import { LineAmounts, PricedKind, Rated, addMonths, planCorrection, rate, sumAmounts } from './rate';
import { RatedLine, RatedLineRevision } from './rated-line.entity';

/** A record billing cannot book, whatever the retry: it goes to the dead-letter topic (or the batch's error_details). */
export class UsageRecordRejectedError extends Error {
  /**
   * `retryable`: the record may become bookable soon (its original is a moment behind on another
   * partition), so a consumer retries before dead-lettering; otherwise no retry can help.
   */
  constructor(
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'UsageRecordRejectedError';
  }
}

/** The partner a record is attributed to. */
export interface Attribution {
  partnerId: string;
  associationId: string;
  associationType: AssociationType;
}

const minor = (m: Money) => m.minor.toString();
const money = (minorUnits: string, currency: string) => Money.fromMinor(minorUnits, currency);

/**
 * Rating and booking: turns attributed records into bill lines, applies corrections and
 * cancellations (in place while the original's cycle is open, as an adjustment in the next open
 * cycle once it closed), keeps cycles and partner discounts. Every method that books runs in the
 * caller's transaction; the caller holds the customer's advisory lock.
 */
@Injectable()
export class RatingService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Whether a cycle is closed, holding its row FOR SHARE until the transaction ends, so a close
   * waits for bookings in flight and nothing is booked into a cycle after it closed.
   */
  async isClosedForBooking(m: EntityManager, cycle: string): Promise<boolean> {
    await m.query(`INSERT INTO billing_cycles (bill_cycle, status) VALUES ($1, 'open') ON CONFLICT (bill_cycle) DO NOTHING`, [cycle]);
    const rows: { status: string }[] = await m.query(`SELECT status FROM billing_cycles WHERE bill_cycle = $1 FOR SHARE`, [cycle]);
    return rows[0]?.status === 'closed';
  }

  /** The first open cycle at or after `from` (rows locked FOR SHARE). */
  async firstOpenCycle(m: EntityManager, from: string): Promise<string> {
    let cycle = from;
    for (let i = 0; i < 1200; i++, cycle = addMonths(cycle, 1)) {
      if (!(await this.isClosedForBooking(m, cycle))) return cycle;
    }
    throw new Error(`no open billing cycle after ${from}`);
  }

  async discountAt(m: EntityManager, partnerId: string, serviceTypeCode: string, at: Date): Promise<Decimal | null> {
    const row = await m
      .getRepository(PartnerDiscount)
      .createQueryBuilder('d')
      .where('d.partner_id = :partnerId AND d.service_type_code = :serviceTypeCode', { partnerId, serviceTypeCode })
      .andWhere('d.effective_from <= :at AND (d.effective_to IS NULL OR d.effective_to > :at)', { at })
      .orderBy('d.effective_from', 'DESC')
      .getOne();
    return row ? Decimal.of(row.discountRate) : null;
  }

  /** Books a consumption, refund or adjustment record as its line; idempotent per record. */
  async bookRecord(m: EntityManager, record: UsageRecord, owner: Attribution): Promise<RatedLine> {
    const existing = await m.findOne(RatedLine, { where: { recordId: record.recordId } });
    if (existing) return existing;
    const kind = record.recordType as PricedKind;
    const discountRate = await this.discountAt(m, owner.partnerId, record.serviceTypeCode, record.occurredAt);
    const rated = rate({ kind, officialAmount: money(record.officialAmountMinor, record.currency), discountRate, associationType: owner.associationType });
    const cycle = await this.firstOpenCycle(m, record.billCycle);
    return this.insertLine(m, record, owner, { cycle, lineType: 'usage', recordType: kind, referencesRecordId: null, rated: rated, discountRate: rated.discountRate, source: record });
  }

  /**
   * Applies a correction (new values of `root`) or a cancellation of it. The root's line must exist
   * (the caller checks the root is rated). Returns the line written or changed.
   */
  async applyCorrection(m: EntityManager, correction: UsageRecord, root: UsageRecord): Promise<RatedLine> {
    const already = await m.findOne(RatedLine, { where: { recordId: correction.recordId } });
    if (already) return already;
    const line = await m.findOne(RatedLine, { where: { recordId: root.recordId }, lock: { mode: 'pessimistic_write' } });
    if (!line) throw new Error(`record ${root.recordId} is rated but has no line`);
    const currency = line.currency;
    const related = await m.find(RatedLine, { where: [{ recordId: root.recordId }, { referencesRecordId: root.recordId }] });
    const effective = sumAmounts(related.map(amountsOf), currency);
    const owner: Attribution = { partnerId: line.partnerId, associationId: line.associationId, associationType: line.associationType as AssociationType };
    let corrected: Rated | null = null;
    if (correction.recordType === 'correction') {
      const discountRate = await this.discountAt(m, owner.partnerId, line.serviceTypeCode, line.occurredAt);
      corrected = rate({ kind: line.recordType as PricedKind, officialAmount: money(correction.officialAmountMinor, currency), discountRate, associationType: owner.associationType });
    }
    const cycleClosed = await this.isClosedForBooking(m, line.billCycle);
    // The next open cycle is looked up only when needed (it locks cycle rows), so plan twice-free:
    const nextOpen = cycleClosed ? await this.firstOpenCycle(m, addMonths(line.billCycle, 1)) : line.billCycle;
    const plan = planCorrection({ cycle: line.billCycle, cycleClosed, effective }, corrected, () => nextOpen);
    const now = new Date();
    if (plan.kind === 're-rate-in-place') {
      const revision = line.revision + 1;
      const status = plan.cancelled ? 'cancelled' : 'active';
      await m.update(
        RatedLine,
        { id: line.id },
        {
          officialAmountMinor: minor(plan.rated.official),
          discountRate: plan.rated.discountRate.toString(),
          discountAmountMinor: minor(plan.rated.discount),
          ratedAmountMinor: minor(plan.rated.rated),
          ...(plan.cancelled ? {} : { usage: correction.usage }),
          status,
          revision,
          updatedAt: now,
        },
      );
      await m.insert(RatedLineRevision, {
        lineId: line.id,
        revision,
        recordId: correction.recordId,
        officialAmountMinor: minor(plan.rated.official),
        discountRate: plan.rated.discountRate.toString(),
        discountAmountMinor: minor(plan.rated.discount),
        ratedAmountMinor: minor(plan.rated.rated),
        status,
        createdAt: now,
      });
      return (await m.findOneOrFail(RatedLine, { where: { id: line.id } }));
    }
    return this.insertLine(m, correction, owner, {
      cycle: plan.cycle,
      lineType: 'correction-adjustment',
      recordType: line.recordType,
      referencesRecordId: root.recordId,
      rated: plan.delta,
      discountRate: plan.discountRate,
      source: { ...line, usage: correction.recordType === 'cancellation' ? '0' : correction.usage, occurredAt: correction.occurredAt, billCycle: line.usageCycle },
    });
  }

  private async insertLine(
    m: EntityManager,
    record: UsageRecord,
    owner: Attribution,
    spec: {
      cycle: string;
      lineType: RatedLine['lineType'];
      recordType: string;
      referencesRecordId: string | null;
      rated: LineAmounts;
      discountRate: Decimal;
      source: Pick<UsageRecord, 'serviceTypeCode' | 'resourceTypeCode' | 'resourceId' | 'regionCode' | 'chargeMode' | 'usage' | 'usageMeasureId' | 'occurredAt' | 'billCycle'>;
    },
  ): Promise<RatedLine> {
    const now = new Date();
    const line: RatedLine = {
      id: randomUUID(),
      partnerId: owner.partnerId,
      billCycle: spec.cycle,
      customerId: record.customerId,
      recordId: record.recordId,
      lineType: spec.lineType,
      recordType: spec.recordType,
      referencesRecordId: spec.referencesRecordId,
      usageCycle: spec.source.billCycle,
      associationId: owner.associationId,
      associationType: owner.associationType,
      serviceTypeCode: spec.source.serviceTypeCode,
      resourceTypeCode: spec.source.resourceTypeCode,
      resourceId: spec.source.resourceId,
      regionCode: spec.source.regionCode,
      chargeMode: spec.source.chargeMode,
      usage: spec.source.usage,
      usageMeasureId: spec.source.usageMeasureId,
      occurredAt: spec.source.occurredAt,
      currency: record.currency,
      officialAmountMinor: minor(spec.rated.official),
      discountRate: spec.discountRate.toString(),
      discountAmountMinor: minor(spec.rated.discount),
      ratedAmountMinor: minor(spec.rated.rated),
      status: 'active',
      revision: 1,
      createdAt: now,
      updatedAt: now,
    };
    await m.insert(RatedLine, line);
    await m.insert(RatedLineRevision, {
      lineId: line.id,
      revision: 1,
      recordId: record.recordId,
      officialAmountMinor: line.officialAmountMinor,
      discountRate: line.discountRate,
      discountAmountMinor: line.discountAmountMinor,
      ratedAmountMinor: line.ratedAmountMinor,
      status: 'active',
      createdAt: now,
    });
    return line;
  }

  // ---- cycles ----

  /**
   * Closes a cycle (bill generation will call this too). Waits for bookings in flight into it;
   * closing a closed cycle changes nothing. A cycle can close only once its month has ended.
   */
  async closeCycle(cycle: string, closedBy: string, now = new Date()): Promise<BillingCycle> {
    if (cycle >= billCycleOf(now)) throw new ConflictError(`Billing cycle ${cycle} has not ended yet; it can be closed from ${addMonths(cycle, 1)} on.`);
    return this.dataSource.transaction(async (m) => {
      await m.query(`INSERT INTO billing_cycles (bill_cycle, status) VALUES ($1, 'open') ON CONFLICT (bill_cycle) DO NOTHING`, [cycle]);
      const row = await m.findOneOrFail(BillingCycle, { where: { billCycle: cycle }, lock: { mode: 'pessimistic_write' } });
      if (row.status === 'closed') return row;
      const closed: BillingCycle = { ...row, status: 'closed', closedAt: now, closedBy };
      await m.save(BillingCycle, closed);
      return closed;
    });
  }

  async cycle(cycle: string): Promise<BillingCycle> {
    return (await this.dataSource.getRepository(BillingCycle).findOne({ where: { billCycle: cycle } })) ?? { billCycle: cycle, status: 'open', closedAt: null, closedBy: null };
  }

  // ---- discounts ----

  async createDiscount(input: { partnerId: string; serviceTypeCode: string; discountRate: Decimal; effectiveFrom: Date; effectiveTo: Date | null; createdBy: string }): Promise<PartnerDiscount> {
    return this.dataSource.transaction(async (m) => {
      // One discount per partner and service type at any instant: serialize creations of the pair.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`discount:${input.partnerId}:${input.serviceTypeCode}`]);
      const overlapping = await m
        .getRepository(PartnerDiscount)
        .createQueryBuilder('d')
        .where('d.partner_id = :p AND d.service_type_code = :s', { p: input.partnerId, s: input.serviceTypeCode })
        .andWhere('(d.effective_to IS NULL OR d.effective_to > :from)', { from: input.effectiveFrom })
        .andWhere(input.effectiveTo ? 'd.effective_from < :to' : 'TRUE', { to: input.effectiveTo })
        .getOne();
      if (overlapping) {
        throw new ConflictError(
          `Partner ${input.partnerId} already has a discount on ${input.serviceTypeCode} from ${overlapping.effectiveFrom.toISOString()}${overlapping.effectiveTo ? ` to ${overlapping.effectiveTo.toISOString()}` : ''} overlapping this period.`,
        );
      }
      const discount: PartnerDiscount = {
        id: randomUUID(),
        partnerId: input.partnerId,
        serviceTypeCode: input.serviceTypeCode,
        discountRate: input.discountRate.toString(),
        effectiveFrom: input.effectiveFrom,
        effectiveTo: input.effectiveTo,
        createdAt: new Date(),
        createdBy: input.createdBy,
      };
      await m.insert(PartnerDiscount, discount);
      return discount;
    });
  }

  listDiscounts(partnerId: string): Promise<PartnerDiscount[]> {
    return this.dataSource.getRepository(PartnerDiscount).find({ where: { partnerId }, order: { serviceTypeCode: 'ASC', effectiveFrom: 'ASC' } });
  }

  // ---- lines ----

  async lines(partnerId: string, cycle: string, offset: number, limit: number): Promise<{ total: number; lines: RatedLine[]; totals: { currency: string; official: string; discount: string; rated: string }[] }> {
    const repo = this.dataSource.getRepository(RatedLine);
    const [lines, total] = await repo.findAndCount({ where: { partnerId, billCycle: cycle }, order: { occurredAt: 'ASC', recordId: 'ASC' }, skip: offset, take: limit });
    const sums: { currency: string; official: string; discount: string; rated: string }[] = await this.dataSource.query(
      `SELECT currency, SUM(official_amount_minor)::text AS official, SUM(discount_amount_minor)::text AS discount, SUM(rated_amount_minor)::text AS rated
         FROM rated_lines WHERE partner_id = $1 AND bill_cycle = $2 GROUP BY currency ORDER BY currency`,
      [partnerId, cycle],
    );
    const totals = sums.map((s) => ({
      currency: s.currency,
      official: money(s.official, s.currency).toString(),
      discount: money(s.discount, s.currency).toString(),
      rated: money(s.rated, s.currency).toString(),
    }));
    return { total, lines, totals };
  }

  async revisions(lineId: string): Promise<RatedLineRevision[]> {
    return this.dataSource.getRepository(RatedLineRevision).find({ where: { lineId }, order: { revision: 'ASC' } });
  }

  async lineOfRecord(recordId: string): Promise<RatedLine> {
    const line = await this.dataSource.getRepository(RatedLine).findOne({ where: { recordId } });
    if (!line) throw new NotFoundError(`Record ${recordId} has no rated line.`);
    return line;
  }
}

export function amountsOf(line: Pick<RatedLine, 'officialAmountMinor' | 'discountAmountMinor' | 'ratedAmountMinor' | 'currency'>): LineAmounts {
  return {
    official: money(line.officialAmountMinor, line.currency),
    discount: money(line.discountAmountMinor, line.currency),
    rated: money(line.ratedAmountMinor, line.currency),
  };
}
