import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConflictError } from '@settle/contracts';
import { Decimal, RoundingMode } from '@settle/money';
import { DataSource, EntityManager } from 'typeorm';
import { MeasureConversion, MeasureUnit, ServiceType } from './catalog.entity';
import { ConversionEdge, convertQuantity } from './conversions';

export interface NewServiceType {
  code: string;
  nameZh: string;
  nameEn: string;
  abbreviation: string;
}

const edgeOf = (c: MeasureConversion): ConversionEdge => ({ measureId: c.measureId, refMeasureId: c.refMeasureId, ratio: BigInt(c.conversionRatio), measureType: c.measureType });

/**
 * Reference data of the partner API: cloud service types, units of measure and their conversions.
 * Seeded by the migration; operators add service types. Usage ingest refuses a record whose
 * service type or unit of measure the catalog does not have (`cataloguedAmong`).
 */
@Injectable()
export class CatalogService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  serviceTypes(q: { code?: string; offset: number; limit: number }): Promise<[ServiceType[], number]> {
    return this.dataSource.getRepository(ServiceType).findAndCount({
      where: q.code ? { serviceTypeCode: q.code } : {},
      order: { serviceTypeCode: 'ASC' },
      skip: q.offset,
      take: q.limit,
    });
  }

  /** Which of these service type codes (compared in lower case) and units of measure the catalog has: one query for a batch. */
  async cataloguedAmong(manager: EntityManager, codes: readonly string[], measureIds: readonly number[]): Promise<{ serviceTypes: Set<string>; measureIds: Set<number> }> {
    const rows: { kind: string; code: string }[] = await manager.query(
      `SELECT 'service' AS kind, service_type_code AS code FROM service_types WHERE service_type_code = ANY($1::text[])
       UNION ALL SELECT 'measure', measure_id::text FROM measure_units WHERE measure_id = ANY($2::int[])`,
      [[...new Set(codes.map((c) => c.toLowerCase()))], [...new Set(measureIds)]],
    );
    return {
      serviceTypes: new Set(rows.filter((r) => r.kind === 'service').map((r) => r.code)),
      measureIds: new Set(rows.filter((r) => r.kind === 'measure').map((r) => Number(r.code))),
    };
  }

  async addServiceType(input: NewServiceType, by: string): Promise<ServiceType> {
    const row: ServiceType = { serviceTypeCode: input.code, nameZh: input.nameZh, nameEn: input.nameEn, abbreviation: input.abbreviation, createdAt: new Date(), createdBy: by };
    const inserted = await this.dataSource.createQueryBuilder().insert().into(ServiceType).values(row).orIgnore().returning(['serviceTypeCode']).execute();
    if (!inserted.raw.length) throw new ConflictError(`Service type ${input.code} already exists.`);
    return row;
  }

  measureUnits(measureType?: number): Promise<MeasureUnit[]> {
    return this.dataSource.getRepository(MeasureUnit).find({ where: measureType === undefined ? {} : { measureType }, order: { measureId: 'ASC' } });
  }

  conversions(measureType?: number): Promise<MeasureConversion[]> {
    return this.dataSource
      .getRepository(MeasureConversion)
      .find({ where: measureType === undefined ? {} : { measureType }, order: { measureType: 'ASC', measureId: 'ASC', refMeasureId: 'ASC' } });
  }

  /** A quantity in one unit expressed in another, exactly (see convertQuantity); rounds only at `scale`. */
  async convert(quantity: Decimal, from: number, to: number, scale?: number): Promise<Decimal> {
    const edges = (await this.conversions()).map(edgeOf);
    return convertQuantity(quantity, from, to, edges, { scale, mode: RoundingMode.HalfEven });
  }
}
