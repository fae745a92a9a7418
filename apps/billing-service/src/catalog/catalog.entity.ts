import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** Cloud service types (云服务类型), e.g. `hws.service.type.ec2`; what usage records name as service_type_code. */
@Entity({ name: 'service_types' })
export class ServiceType {
  /** Lower-case code, e.g. `hws.service.type.obs`. */
  @PrimaryColumn({ type: 'text' })
  serviceTypeCode!: string;

  @Column({ type: 'text' })
  nameZh!: string;

  @Column({ type: 'text' })
  nameEn!: string;

  /** Short name, e.g. OBS. */
  @Column({ type: 'text' })
  abbreviation!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  /** `migration` for the seeded set, else the operator who added it. */
  @Column({ type: 'text' })
  createdBy!: string;
}

/** Units of measure (度量单位) as the partner API numbers them (`measure_id`), with their measure type. */
@Entity({ name: 'measure_units' })
export class MeasureUnit {
  @PrimaryColumn({ type: 'integer' })
  measureId!: number;

  /** 1 currency, 2 duration, 3 traffic, 4 quantity… (the partner API's measure_type). */
  @Column({ type: 'smallint' })
  measureType!: number;

  @Column({ type: 'text' })
  nameZh!: string;

  @Column({ type: 'text' })
  nameEn!: string;

  @Column({ type: 'text' })
  abbreviation!: string;
}

/** 1 `measureId` = `conversionRatio` `refMeasureId` (e.g. 1 GB = 1024 MB); exact integers only. */
@Entity({ name: 'measure_conversions' })
@Check('measure_conversions_ratio_positive', '"conversion_ratio" > 0')
export class MeasureConversion {
  @PrimaryColumn({ type: 'integer' })
  measureId!: number;

  @PrimaryColumn({ type: 'integer' })
  refMeasureId!: number;

  /** bigint in PostgreSQL, a decimal string here (never a float). */
  @Column({ type: 'bigint' })
  conversionRatio!: string;

  @Column({ type: 'smallint' })
  measureType!: number;
}
