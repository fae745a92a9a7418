import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AssociationType, ConflictError, NotFoundError, billCycleOf } from '@settle/contracts';
import { Decimal, Money } from '@settle/money';
import { inSystemScope, insertEntities } from '@settle/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { BillingCycle } from './billing-cycle.entity';
import { addMonths, firstOpenCycle } from './billing-calendar';
import { PartnerDiscount } from './partner-discount.entity';
import { DiscountPeriod, LineAmounts, PricedKind, Rated, discountAt, planCorrection, rate, sumAmounts } from './rate';
import { RatedLine, RatedLineRevision } from './rated-line.entity';

/** What rating needs of a usage record (the usage feature's entity has these fields and more). */
export interface RatableRecord {
  recordId: string;
  customerId: string;
  serviceTypeCode: string;
  resourceTypeCode: string;
  resourceId: string;
  regionCode: string;
  usage: string;
  usageMeasureId: number;
  chargeMode: string;
  recordType: string;
  officialAmountMinor: string;
  currency: string;
  occurredAt: Date;
  billCycle: string;
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
   * The cycle each of these usage cycles books into now: itself while open, else the first open
   * one after it. The cycle rows are held FOR SHARE until the transaction ends, so a close waits
   * for bookings in flight and nothing is booked into a cycle after it closed. One round trip for
   * a whole batch (two when a booking cycle has no row yet).
   */
  async bookingCycles(m: EntityManager, usageCycles: readonly string[]): Promise<Map<string, string>> {
    const cycles = [...new Set(usageCycles)].sort();
    if (cycles.length === 0) return new Map();
    for (;;) {
      await m.query(`INSERT INTO billing_cycles (bill_cycle, status) SELECT c, 'open' FROM unnest($1::text[]) AS c ON CONFLICT (bill_cycle) DO NOTHING`, [cycles]);
      const rows: { bill_cycle: string; status: string }[] = await m.query(
        `SELECT bill_cycle, status FROM billing_cycles WHERE bill_cycle >= $1 ORDER BY bill_cycle FOR SHARE`,
        [cycles[0]],
      );
      const closed = new Set(rows.filter((r) => r.status === 'closed').map((r) => r.bill_cycle));
      const held = new Set(rows.map((r) => r.bill_cycle));
      const booking = new Map(cycles.map((c) => [c, firstOpenCycle(c, (x) => closed.has(x))]));
      const unheld = [...new Set(booking.values())].filter((c) => !held.has(c));
      if (unheld.length === 0) return booking;
      // A booking cycle past every row: create and hold it too, then decide again.
      cycles.push(...unheld);
      cycles.sort();
    }
  }

  /** The discount periods of these partners, for the pure `discountAt`. */
  async discountsOf(m: EntityManager, partnerIds: readonly string[]): Promise<DiscountPeriod[]> {
    if (partnerIds.length === 0) return [];
    const rows = await m
      .getRepository(PartnerDiscount)
      .createQueryBuilder('d')
      .where('d.partner_id = ANY(:ids)', { ids: [...new Set(partnerIds)] })
      .getMany();
    return rows.map((r) => ({ partnerId: r.partnerId, serviceTypeCode: r.serviceTypeCode, rate: Decimal.of(r.discountRate), from: r.effectiveFrom, to: r.effectiveTo }));
  }

  /**
   * Books consumption, refund and adjustment records as their lines, a whole batch at once: the
   * partners' discounts and the cycles are read once, each record is rated by the pure `rate`,
   * and lines and their first revisions are written by two multi-row inserts. Idempotent per
   * record (a record that has a line keeps it). Returns how many lines were written.
   */
  async bookRecords(m: EntityManager, items: readonly { record: RatableRecord; owner: Attribution }[]): Promise<number> {
    if (items.length === 0) return 0;
    const discounts = await this.discountsOf(m, items.map((i) => i.owner.partnerId));
    const cycles = await this.bookingCycles(m, items.map((i) => i.record.billCycle));
    const now = new Date();
    const lines = items.map(({ record, owner }) => {
      const kind = record.recordType as PricedKind;
      const rated = rate({
        kind,
        officialAmount: money(record.officialAmountMinor, record.currency),
        discountRate: discountAt(discounts, owner.partnerId, record.serviceTypeCode, record.occurredAt),
        associationType: owner.associationType,
      });
      return lineOf(record, owner, { cycle: cycles.get(record.billCycle) as string, lineType: 'usage', recordType: kind, referencesRecordId: null, rated, discountRate: rated.discountRate, source: record }, now);
    });
    const written = await insertEntities<RatedLine, { id: string }>(m, RatedLine, lines, { onConflict: '(record_id) DO NOTHING', returning: 'id' });
    const ids = new Set(written.map((w) => w.id));
    await insertEntities(m, RatedLineRevision, lines.filter((l) => ids.has(l.id)).map((l) => firstRevisionOf(l, now)));
    return ids.size;
  }

  /**
   * Applies a correction (new values of `root`) or a cancellation of it. The root's line must exist
   * (the caller checks the root is rated). Returns the line written or changed.
   */
  async applyCorrection(m: EntityManager, correction: RatableRecord, root: RatableRecord): Promise<RatedLine> {
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
      const discountRate = discountAt(await this.discountsOf(m, [owner.partnerId]), owner.partnerId, line.serviceTypeCode, line.occurredAt);
      corrected = rate({ kind: line.recordType as PricedKind, officialAmount: money(correction.officialAmountMinor, currency), discountRate, associationType: owner.associationType });
    }
    // Where the line's cycle books now: itself while open, else the first open cycle after it.
    const bookingCycle = (await this.bookingCycles(m, [line.billCycle])).get(line.billCycle) as string;
    const plan = planCorrection({ cycle: line.billCycle, cycleClosed: bookingCycle !== line.billCycle, effective }, corrected, () => bookingCycle);
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

  private async insertLine(m: EntityManager, record: RatableRecord, owner: Attribution, spec: LineSpec): Promise<RatedLine> {
    const now = new Date();
    const line = lineOf(record, owner, spec, now);
    await m.insert(RatedLine, line);
    await m.insert(RatedLineRevision, firstRevisionOf(line, now));
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
    return inSystemScope(this.dataSource, async (m) => {
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
    return inSystemScope(this.dataSource, (m) => m.getRepository(PartnerDiscount).find({ where: { partnerId }, order: { serviceTypeCode: 'ASC', effectiveFrom: 'ASC' } }));
  }

  // ---- lines ----

  /** Operator view of a partner's lines of a cycle, with their sums per currency. */
  async lines(partnerId: string, cycle: string, offset: number, limit: number): Promise<{ total: number; lines: RatedLine[]; totals: { currency: string; official: string; discount: string; rated: string }[] }> {
    return inSystemScope(this.dataSource, (m) => this.linesIn(m, partnerId, cycle, offset, limit));
  }

  private async linesIn(m: EntityManager, partnerId: string, cycle: string, offset: number, limit: number) {
    const [lines, total] = await m.getRepository(RatedLine).findAndCount({ where: { partnerId, billCycle: cycle }, order: { occurredAt: 'ASC', recordId: 'ASC' }, skip: offset, take: limit });
    const sums: { currency: string; official: string; discount: string; rated: string }[] = await m.query(
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
    const line = await inSystemScope(this.dataSource, (m) => m.getRepository(RatedLine).findOne({ where: { recordId } }));
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

interface LineSpec {
  cycle: string;
  lineType: RatedLine['lineType'];
  recordType: string;
  referencesRecordId: string | null;
  rated: LineAmounts;
  discountRate: Decimal;
  source: Pick<RatableRecord, 'serviceTypeCode' | 'resourceTypeCode' | 'resourceId' | 'regionCode' | 'chargeMode' | 'usage' | 'usageMeasureId' | 'occurredAt' | 'billCycle'>;
}

function lineOf(record: RatableRecord, owner: Attribution, spec: LineSpec, now: Date): RatedLine {
  return {
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
}

function firstRevisionOf(line: RatedLine, now: Date): RatedLineRevision {
  return {
    lineId: line.id,
    revision: 1,
    recordId: line.recordId,
    officialAmountMinor: line.officialAmountMinor,
    discountRate: line.discountRate,
    discountAmountMinor: line.discountAmountMinor,
    ratedAmountMinor: line.ratedAmountMinor,
    status: 'active',
    createdAt: now,
  };
}
