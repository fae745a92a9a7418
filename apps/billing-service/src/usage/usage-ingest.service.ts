import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AssociationType, UsageRecordData } from '@settle/contracts';
import { Money } from '@settle/money';
import { inSystemScope, insertEntities } from '@settle/persistence';
import { DataSource, EntityManager, In } from 'typeorm';
import { CatalogService } from '../catalog/catalog.service';
import { CustomerOwnershipService } from '../customer-ownership/customer-ownership.service';
import { OwnershipPeriod, ownerAt } from '../customer-ownership/ownership-periods';
import { Attribution, RatingService } from '../rating/rating.service';
import { UsageRecordRejectedError } from './usage-record-rejected.error';
import { UsageRecord } from './usage-record.entity';

export type IngestOutcome = 'rated' | 'unattributed' | 'duplicate';

export interface IngestSource {
  kind: 'kafka' | 'http';
  eventId?: string;
}

/** One record's outcome in a batch: booked, waiting, seen before, or refused with the reason (nothing written). */
export type BatchItemOutcome = IngestOutcome | { rejected: string };

const isCorrection = (recordType: string) => recordType === 'correction' || recordType === 'cancellation';

/**
 * The usage pipeline, the same for Kafka and HTTP backfill, a batch at a time: store each record
 * once (record_id is the idempotency key), attribute it to the partner that owned the customer at
 * occurred_at, rate and book it. Everything a batch needs is read once (catalog codes, the
 * customers' ownership periods, the partners' discounts, the cycles) and written with multi-row
 * inserts. A record whose owner billing does not know yet is stored `unattributed` and booked
 * when the ownership arrives (the ownership events consumer, in the same transaction as the
 * projection, and the attribution sweep); nothing is dropped. The batch holds its customers'
 * advisory locks, so an association being projected and a record of its customer never miss
 * each other.
 */
@Injectable()
export class UsageIngestService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rating: RatingService,
    private readonly catalog: CatalogService,
    private readonly ownership: CustomerOwnershipService,
  ) {}

  /**
   * Ingests schema-valid records in the caller's transaction; one outcome per record, in order.
   * A record the catalog does not know, or a correction that can never apply, is refused
   * (`{ rejected }`) and nothing of it is written; a correction whose original has not arrived
   * throws a retryable `UsageRecordRejectedError` (the caller retries, then dead-letters).
   */
  async ingestBatch(m: EntityManager, items: readonly { data: UsageRecordData; source: IngestSource }[]): Promise<BatchItemOutcome[]> {
    const outcomes: BatchItemOutcome[] = new Array(items.length);
    const known = await this.catalog.cataloguedAmong(
      m,
      items.map((i) => i.data.service_type_code),
      items.map((i) => i.data.usage_measure_id),
    );
    const firstOf = new Map<string, number>();
    const accepted: number[] = [];
    items.forEach(({ data }, index) => {
      if (!known.serviceTypes.has(data.service_type_code.toLowerCase())) {
        outcomes[index] = {
          rejected: `service_type_code ${data.service_type_code} of record ${data.record_id} is not a service type of the catalog (GET /v2/products/service-types); an operator adds one with POST /operator/billing/service-types.`,
        };
      } else if (!known.measureIds.has(data.usage_measure_id)) {
        outcomes[index] = { rejected: `usage_measure_id ${data.usage_measure_id} of record ${data.record_id} is not a unit of measure of the catalog (GET /v2/bases/measurements).` };
      } else if (firstOf.has(data.record_id)) {
        outcomes[index] = 'duplicate'; // the same record twice in one batch: the first counts
      } else {
        firstOf.set(data.record_id, index);
        accepted.push(index);
      }
    });
    if (accepted.length === 0) return outcomes;

    const customers = [...new Set(accepted.map((i) => items[i].data.customer_id))];
    await this.lockCustomers(m, customers);
    const periods = await this.ownership.periodsOf(m, customers);
    const now = new Date();
    const records = accepted.map((index) => {
      const { data, source } = items[index];
      const owner = isCorrection(data.record_type) ? undefined : ownerAt(periods.get(data.customer_id) ?? [], new Date(data.occurred_at));
      return { index, owner, record: recordOf(data, source, owner, now) };
    });
    const inserted = await insertEntities<UsageRecord, { record_id: string }>(
      m,
      UsageRecord,
      records.map((r) => r.record),
      { onConflict: '(record_id) DO NOTHING', returning: 'record_id' },
    );
    const fresh = new Set(inserted.map((r) => r.record_id));
    const toBook: { record: UsageRecord; owner: Attribution }[] = [];
    const corrections: { index: number; record: UsageRecord }[] = [];
    for (const { index, owner, record } of records) {
      if (!fresh.has(record.recordId)) outcomes[index] = 'duplicate';
      else if (isCorrection(record.recordType)) corrections.push({ index, record });
      else if (owner) {
        toBook.push({ record, owner: attributionOf(owner) });
        outcomes[index] = 'rated';
      } else outcomes[index] = 'unattributed';
    }
    await this.rating.bookRecords(m, toBook);
    // Corrections are rare: each one after the originals of its batch, against its original's line.
    for (const { index, record } of corrections) {
      try {
        outcomes[index] = await this.applyCorrection(m, record);
      } catch (error) {
        if (!(error instanceof UsageRecordRejectedError) || error.retryable) throw error;
        await m.delete(UsageRecord, { recordId: record.recordId });
        outcomes[index] = { rejected: error.message };
      }
    }
    return outcomes;
  }

  /** Books a stored correction or cancellation if its original is booked; otherwise it waits. */
  private async applyCorrection(m: EntityManager, record: UsageRecord): Promise<IngestOutcome> {
    const root = await this.rootOf(m, record);
    if (root.status !== 'rated') return 'unattributed'; // waits for its original to be booked
    const line = await this.rating.applyCorrection(m, record, root);
    await this.markRated(m, [record.recordId], { partnerId: line.partnerId, associationId: line.associationId, associationType: line.associationType as AssociationType });
    return 'rated';
  }

  /** The record a correction or cancellation applies to (a correction of a correction applies to the same original). */
  private async rootOf(m: EntityManager, record: UsageRecord): Promise<UsageRecord> {
    const target = await m.findOne(UsageRecord, { where: { recordId: record.correctsRecordId as string } });
    if (!target) throw new UsageRecordRejectedError(`${record.recordType} ${record.recordId} names record ${record.correctsRecordId}, which billing has not received.`, true);
    const root = target.correctsRecordId ? await m.findOne(UsageRecord, { where: { recordId: target.correctsRecordId } }) : target;
    if (!root) throw new UsageRecordRejectedError(`record ${target.recordId} names record ${target.correctsRecordId}, which billing has not received.`, true);
    if (root.customerId !== record.customerId) {
      throw new UsageRecordRejectedError(`${record.recordType} ${record.recordId} is for customer ${record.customerId} but record ${root.recordId} is for another customer.`);
    }
    if (root.currency !== record.currency) {
      throw new UsageRecordRejectedError(`${record.recordType} ${record.recordId} is in ${record.currency} but record ${root.recordId} is in ${root.currency}.`);
    }
    return root;
  }

  private async markRated(m: EntityManager, recordIds: string[], owner: Attribution): Promise<void> {
    await m.update(
      UsageRecord,
      { recordId: In(recordIds) },
      { status: 'rated', partnerId: owner.partnerId, associationId: owner.associationId, associationType: owner.associationType, ratedAt: new Date() },
    );
  }

  /** Advisory locks of these customers, taken in one statement in a fixed order (no deadlock between batches). */
  private async lockCustomers(m: EntityManager, customerIds: readonly string[]): Promise<void> {
    await m.query(
      `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtext('usage:' || c) AS k FROM unnest($1::text[]) AS c ORDER BY k) AS locks`,
      [customerIds],
    );
  }

  /**
   * Books what waits for one customer in the caller's transaction: originals first (one batch),
   * then corrections oldest first. Returns how many records got booked.
   */
  async attributePendingOf(m: EntityManager, customerId: string): Promise<number> {
    await this.lockCustomers(m, [customerId]);
    const waiting = await m.find(UsageRecord, { where: { customerId, status: 'unattributed' }, order: { receivedAt: 'ASC', recordId: 'ASC' } });
    if (waiting.length === 0) return 0;
    const periods = (await this.ownership.periodsOf(m, [customerId])).get(customerId) ?? [];
    const byOwner = new Map<string, { owner: OwnershipPeriod; records: UsageRecord[] }>();
    for (const record of waiting.filter((r) => !isCorrection(r.recordType))) {
      const owner = ownerAt(periods, record.occurredAt);
      if (!owner) continue;
      const group = byOwner.get(owner.associationId) ?? { owner, records: [] };
      group.records.push(record);
      byOwner.set(owner.associationId, group);
    }
    let booked = 0;
    for (const { owner, records } of byOwner.values()) {
      await this.rating.bookRecords(m, records.map((record) => ({ record, owner: attributionOf(owner) })));
      await this.markRated(m, records.map((r) => r.recordId), attributionOf(owner));
      booked += records.length;
    }
    for (const record of waiting.filter((r) => isCorrection(r.recordType))) {
      try {
        if ((await this.applyCorrection(m, record)) === 'rated') booked += 1;
      } catch (error) {
        // A waiting correction whose original turned out invalid stays waiting, visible to operators.
        if (!(error instanceof UsageRecordRejectedError)) throw error;
      }
    }
    return booked;
  }

  /**
   * The sweep, the backstop of attribution: customers with waiting records and an ownership
   * billing knows (or a waiting correction), each in its own transaction.
   */
  async attributePending(batchSize: number): Promise<number> {
    const customers: { customer_id: string }[] = await inSystemScope(this.dataSource, (m) => m.query(
      `SELECT DISTINCT r.customer_id FROM usage_records r
        WHERE r.status = 'unattributed'
          AND (r.corrects_record_id IS NOT NULL OR EXISTS (SELECT 1 FROM customer_ownership o WHERE o.customer_id = r.customer_id))
        ORDER BY r.customer_id LIMIT $1`,
      [batchSize],
    ));
    let booked = 0;
    for (const { customer_id } of customers) {
      booked += await inSystemScope(this.dataSource, (m) => this.attributePendingOf(m, customer_id));
    }
    return booked;
  }

  async record(recordId: string): Promise<UsageRecord | null> {
    return inSystemScope(this.dataSource, (m) => m.getRepository(UsageRecord).findOne({ where: { recordId } }));
  }

  /** HTTP backfill: the batch in one transaction; refused records answer with their reason. */
  async ingestHttpBatch(records: readonly UsageRecordData[]): Promise<BatchItemOutcome[]> {
    const items = records.map((data) => ({ data, source: { kind: 'http' as const } }));
    try {
      return await inSystemScope(this.dataSource, (m) => this.ingestBatch(m, items));
    } catch (error) {
      if (!(error instanceof UsageRecordRejectedError)) throw error;
      // A correction whose original is missing fails the whole batch; apply the records one by one
      // so the others are stored and that one is answered with its reason.
      const outcomes: BatchItemOutcome[] = [];
      for (const item of items) {
        try {
          outcomes.push(...(await inSystemScope(this.dataSource, (m) => this.ingestBatch(m, [item]))));
        } catch (single) {
          if (!(single instanceof UsageRecordRejectedError)) throw single;
          outcomes.push({ rejected: single.message });
        }
      }
      return outcomes;
    }
  }
}

function attributionOf(owner: OwnershipPeriod): Attribution {
  return { partnerId: owner.partnerId, associationId: owner.associationId, associationType: owner.associationType };
}

function recordOf(data: UsageRecordData, source: IngestSource, owner: OwnershipPeriod | undefined, now: Date): UsageRecord {
  return {
    recordId: data.record_id,
    customerId: data.customer_id,
    // The catalog's spelling, so that lines, discounts and sums of one service type meet.
    serviceTypeCode: data.service_type_code.toLowerCase(),
    resourceTypeCode: data.resource_type_code,
    resourceId: data.resource_id,
    regionCode: data.region_code,
    usage: data.usage,
    usageMeasureId: data.usage_measure_id,
    chargeMode: data.charge_mode,
    recordType: data.record_type,
    officialAmountMinor: Money.of(data.official_amount, data.currency).minor.toString(),
    currency: data.currency,
    occurredAt: new Date(data.occurred_at),
    billCycle: data.bill_cycle,
    correctsRecordId: data.corrects_record_id ?? null,
    status: owner ? 'rated' : 'unattributed',
    partnerId: owner?.partnerId ?? null,
    associationId: owner?.associationId ?? null,
    associationType: owner?.associationType ?? null,
    source: source.kind,
    sourceEventId: source.eventId ?? null,
    receivedAt: now,
    ratedAt: owner ? now : null,
  };
}
