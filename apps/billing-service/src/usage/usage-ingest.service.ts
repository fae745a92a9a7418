import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AssociationType, UsageRecordData } from '@settle/contracts';
import { Money } from '@settle/money';
import { DataSource, EntityManager } from 'typeorm';
import { CustomerOwnership } from '../customer-ownership/customer-ownership.entity';
import { CatalogService } from '../catalog/catalog.service';
import { Attribution, RatingService, UsageRecordRejectedError } from '../rating/rating.service';
import { UsageRecord } from './usage-record.entity';

export type IngestOutcome = 'rated' | 'unattributed' | 'duplicate';

/**
 * The usage pipeline, the same for Kafka and HTTP backfill: store the record once (record_id is
 * the idempotency key), attribute it to the partner that owned the customer at occurred_at, rate
 * and book it. A record whose owner billing does not know yet is stored `unattributed` and booked
 * when the ownership arrives (the association consumer and the attribution sweep); nothing is
 * dropped. One customer's records are processed under that customer's advisory lock.
 */
@Injectable()
export class UsageIngestService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rating: RatingService,
    private readonly catalog: CatalogService,
  ) {}

  /** Ingests one schema-valid record in the caller's transaction. */
  async ingest(m: EntityManager, data: UsageRecordData, source: { kind: 'kafka' | 'http'; eventId?: string }): Promise<IngestOutcome> {
    await this.lockCustomer(m, data.customer_id);
    // record_id is the idempotency key: a record seen before (whatever event carried it) changes nothing.
    if (await m.exists(UsageRecord, { where: { recordId: data.record_id } })) return 'duplicate';
    await this.requireCatalogued(m, data);
    await m.insert(UsageRecord, {
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
        status: 'unattributed',
        partnerId: null,
        associationId: null,
        associationType: null,
        source: source.kind,
        sourceEventId: source.eventId ?? null,
        receivedAt: new Date(),
        ratedAt: null,
    });
    const record = await m.findOneOrFail(UsageRecord, { where: { recordId: data.record_id } });
    return this.process(m, record);
  }

  /**
   * A record must name a service type and a unit of measure of the catalog; no retry changes that,
   * so it is refused at once (dead-lettered as `rejected`; after an operator adds the service type,
   * the dead letter can be replayed).
   */
  private async requireCatalogued(m: EntityManager, data: UsageRecordData): Promise<void> {
    if (!(await this.catalog.isServiceType(data.service_type_code, m))) {
      throw new UsageRecordRejectedError(
        `service_type_code ${data.service_type_code} of record ${data.record_id} is not a service type of the catalog (GET /v2/products/service-types); an operator adds one with POST /operator/billing/service-types.`,
      );
    }
    if (!(await this.catalog.isMeasureUnit(data.usage_measure_id, m))) {
      throw new UsageRecordRejectedError(`usage_measure_id ${data.usage_measure_id} of record ${data.record_id} is not a unit of measure of the catalog (GET /v2/bases/measurements).`);
    }
  }

  /**
   * Attributes and books a stored, still unattributed record if its owner (or, for a correction,
   * its original's line) is known; otherwise leaves it waiting.
   */
  private async process(m: EntityManager, record: UsageRecord): Promise<IngestOutcome> {
    if (record.recordType === 'correction' || record.recordType === 'cancellation') {
      const root = await this.rootOf(m, record);
      if (root.status !== 'rated') return 'unattributed'; // waits for its original to be booked
      const line = await this.rating.applyCorrection(m, record, root);
      await this.markRated(m, record, { partnerId: line.partnerId, associationId: line.associationId, associationType: line.associationType as AssociationType });
      return 'rated';
    }
    const owner = await this.ownerAt(m, record.customerId, record.occurredAt);
    if (!owner) return 'unattributed';
    await this.rating.bookRecord(m, record, owner);
    await this.markRated(m, record, owner);
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

  private async markRated(m: EntityManager, record: UsageRecord, owner: Attribution): Promise<void> {
    await m.update(
      UsageRecord,
      { recordId: record.recordId },
      { status: 'rated', partnerId: owner.partnerId, associationId: owner.associationId, associationType: owner.associationType, ratedAt: new Date() },
    );
  }

  private async ownerAt(m: EntityManager, customerId: string, at: Date): Promise<Attribution | null> {
    const row = await m
      .getRepository(CustomerOwnership)
      .createQueryBuilder('o')
      .where('o.customer_id = :customerId', { customerId })
      .andWhere('o.effective_from <= :at', { at })
      .andWhere('(o.effective_to IS NULL OR o.effective_to > :at)', { at })
      .orderBy('o.effective_from', 'DESC')
      .getOne();
    return row ? { partnerId: row.partnerId, associationId: row.associationId, associationType: row.associationType as AssociationType } : null;
  }

  private async lockCustomer(m: EntityManager, customerId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`usage:${customerId}`]);
  }

  /**
   * Books what waits for one customer, oldest first (an original before its corrections), in the
   * caller's transaction. Returns how many records got booked.
   */
  async attributePendingOf(m: EntityManager, customerId: string): Promise<number> {
    await this.lockCustomer(m, customerId);
    const waiting = await m.find(UsageRecord, { where: { customerId, status: 'unattributed' }, order: { receivedAt: 'ASC', recordId: 'ASC' } });
    let booked = 0;
    for (const record of waiting) {
      try {
        if ((await this.process(m, record)) === 'rated') booked += 1;
      } catch (error) {
        // A waiting correction whose original turned out invalid stays waiting, visible to operators.
        if (!(error instanceof UsageRecordRejectedError)) throw error;
      }
    }
    return booked;
  }

  /** The sweep: every customer with waiting records, each in its own transaction. */
  async attributePending(batchSize: number): Promise<number> {
    const customers: { customer_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT r.customer_id FROM usage_records r
        WHERE r.status = 'unattributed'
          AND (EXISTS (SELECT 1 FROM customer_ownership o
                        WHERE o.customer_id = r.customer_id AND o.effective_from <= r.occurred_at
                          AND (o.effective_to IS NULL OR o.effective_to > r.occurred_at))
               OR EXISTS (SELECT 1 FROM usage_records t WHERE t.record_id = r.corrects_record_id AND t.status = 'rated'))
        ORDER BY r.customer_id LIMIT $1`,
      [batchSize],
    );
    let booked = 0;
    for (const { customer_id } of customers) {
      booked += await this.dataSource.transaction((m) => this.attributePendingOf(m, customer_id));
    }
    return booked;
  }

  async record(recordId: string): Promise<UsageRecord | null> {
    return this.dataSource.getRepository(UsageRecord).findOne({ where: { recordId } });
  }

  /** Runs one record through the pipeline in its own transaction (HTTP backfill). */
  async ingestOne(data: UsageRecordData): Promise<IngestOutcome> {
    try {
      return await this.dataSource.transaction((m) => this.ingest(m, data, { kind: 'http' }));
    } catch (error) {
      // The same record_id stored meanwhile under another customer's lock: a duplicate.
      if ((error as { code?: string }).code === '23505' && (await this.record(data.record_id))) return 'duplicate';
      throw error;
    }
  }
}
