import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The service types seeded with the catalog: [code, Chinese name, English name, abbreviation]. */
export const SEEDED_SERVICE_TYPES: readonly (readonly [string, string, string, string])[] = [
  ['hws.service.type.ec2', '弹性云服务器', 'Elastic Cloud Server', 'ECS'],
  ['hws.service.type.ebs', '云硬盘', 'Elastic Volume Service', 'EVS'],
  ['hws.service.type.vpc', '虚拟私有云', 'Virtual Private Cloud', 'VPC'],
  ['hws.service.type.eip', '弹性公网IP', 'Elastic IP', 'EIP'],
  ['hws.service.type.elb', '弹性负载均衡', 'Elastic Load Balance', 'ELB'],
  ['hws.service.type.obs', '对象存储服务', 'Object Storage Service', 'OBS'],
  ['hws.service.type.sfs', '弹性文件服务', 'Scalable File Service', 'SFS'],
  ['hws.service.type.rds', '云数据库 RDS', 'Relational Database Service', 'RDS'],
  ['hws.service.type.dds', '文档数据库服务', 'Document Database Service', 'DDS'],
  ['hws.service.type.dcs', '分布式缓存服务', 'Distributed Cache Service', 'DCS'],
  ['hws.service.type.cce', '云容器引擎', 'Cloud Container Engine', 'CCE'],
  ['hws.service.type.bms', '裸金属服务器', 'Bare Metal Server', 'BMS'],
  ['hws.service.type.cdn', '内容分发网络', 'Content Delivery Network', 'CDN'],
  ['hws.service.type.dns', '云解析服务', 'Domain Name Service', 'DNS'],
  ['hws.service.type.cbr', '云备份', 'Cloud Backup and Recovery', 'CBR'],
  ['hws.service.type.waf', 'Web应用防火墙', 'Web Application Firewall', 'WAF'],
  ['hws.service.type.functiongraph', '函数工作流', 'FunctionGraph', 'FunctionGraph'],
  ['hws.service.type.dms', '分布式消息服务', 'Distributed Message Service', 'DMS'],
  ['hws.service.type.workplace', '云办公服务', 'Workplace', 'Workplace'],
  ['hws.service.type.marketplace', '云商店', 'KooGallery', 'KooGallery'],
];

/**
 * Units of measure: [measure_id, measure_type, Chinese name, English name, abbreviation].
 * Ids 1-3 (yuan, jiao, fen), 4 (hour), 10 (GB) and 11 (MB) are the partner API's; the others are
 * this platform's own numbering. measure_type: 1 currency, 2 duration, 3 traffic, 4 quantity.
 */
export const SEEDED_MEASURE_UNITS: readonly (readonly [number, number, string, string, string])[] = [
  [1, 1, '元', 'Yuan', 'CNY'],
  [2, 1, '角', 'Jiao', 'Jiao'],
  [3, 1, '分', 'Fen', 'Fen'],
  [4, 2, '小时', 'Hour', 'h'],
  [5, 2, '天', 'Day', 'd'],
  [6, 2, '月', 'Month', 'mon'],
  [7, 2, '年', 'Year', 'y'],
  [8, 2, '分钟', 'Minute', 'min'],
  [9, 2, '秒', 'Second', 's'],
  [10, 3, 'GB', 'GB', 'GB'],
  [11, 3, 'MB', 'MB', 'MB'],
  [12, 3, 'KB', 'KB', 'KB'],
  [13, 3, 'Byte', 'Byte', 'B'],
  [14, 3, 'TB', 'TB', 'TB'],
  [15, 4, '个', 'Count', 'pcs'],
  [16, 4, '次', 'Times', 'times'],
  [17, 4, '千次', 'Thousand times', 'k times'],
];

/**
 * Conversions: [measure_id, ref_measure_id, ratio, measure_type] meaning 1 measure = ratio ref
 * measures. Exact integers; month ↔ day and year ↔ day are left out on purpose (not fixed).
 */
export const SEEDED_CONVERSIONS: readonly (readonly [number, number, string, number])[] = [
  [1, 2, '10', 1],
  [1, 3, '100', 1],
  [2, 3, '10', 1],
  [5, 4, '24', 2],
  [4, 8, '60', 2],
  [8, 9, '60', 2],
  [4, 9, '3600', 2],
  [5, 9, '86400', 2],
  [7, 6, '12', 2],
  [14, 10, '1024', 3],
  [10, 11, '1024', 3],
  [11, 12, '1024', 3],
  [12, 13, '1024', 3],
  [10, 13, '1073741824', 3],
  [17, 16, '1000', 4],
];

export class PartnersQuotasCatalog1763769602100 implements MigrationInterface {
  name = 'PartnersQuotasCatalog1763769602100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    // Billing's projection of customer-service's partners.
    await queryRunner.query(`
      CREATE TABLE ${s}.partner_profiles (
        partner_id text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL,
        tier smallint,
        parent_partner_id text,
        level text NOT NULL,
        taxpayer_type text NOT NULL,
        certification_status text NOT NULL,
        registered_at timestamptz NOT NULL,
        profile_at timestamptz NOT NULL,
        source_event_id uuid NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX partner_profiles_parent_idx ON ${s}.partner_profiles (parent_partner_id)`);

    // Voucher (coupon) quotas and their immutable records.
    await queryRunner.query(`
      CREATE TABLE ${s}.coupon_quotas (
        id text PRIMARY KEY,
        partner_id text NOT NULL,
        parent_quota_id text,
        issuer_partner_id text,
        quota_type smallint NOT NULL,
        currency text NOT NULL,
        value_minor bigint NOT NULL,
        balance_minor bigint NOT NULL,
        status smallint NOT NULL,
        effective_at timestamptz NOT NULL,
        expire_at timestamptz,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT coupon_quotas_balance_within_value CHECK (balance_minor >= 0 AND balance_minor <= value_minor)
      )`);
    await queryRunner.query(`CREATE INDEX coupon_quotas_partner_idx ON ${s}.coupon_quotas (partner_id, created_at)`);
    await queryRunner.query(`CREATE INDEX coupon_quotas_parent_idx ON ${s}.coupon_quotas (parent_quota_id)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.coupon_quota_records (
        id uuid PRIMARY KEY,
        operation_type smallint NOT NULL,
        partner_id text NOT NULL,
        indirect_partner_id text,
        quota_id text NOT NULL,
        parent_quota_id text,
        currency text NOT NULL,
        amount_minor bigint NOT NULL,
        quota_balance_before_minor bigint NOT NULL,
        quota_balance_after_minor bigint NOT NULL,
        parent_balance_before_minor bigint,
        parent_balance_after_minor bigint,
        operator text NOT NULL,
        remark text,
        operated_at timestamptz NOT NULL,
        CONSTRAINT coupon_quota_records_amount_positive CHECK (amount_minor > 0)
      )`);
    await queryRunner.query(`CREATE INDEX coupon_quota_records_partner_idx ON ${s}.coupon_quota_records (partner_id, operated_at)`);
    await queryRunner.query(`CREATE INDEX coupon_quota_records_indirect_idx ON ${s}.coupon_quota_records (indirect_partner_id, operated_at)`);
    await queryRunner.query(`CREATE INDEX coupon_quota_records_quota_idx ON ${s}.coupon_quota_records (quota_id)`);
    await queryRunner.query(`CREATE INDEX coupon_quota_records_parent_quota_idx ON ${s}.coupon_quota_records (parent_quota_id)`);
    // A record is the truth a balance is re-derived from: never edited, never deleted.
    await queryRunner.query(`
      CREATE FUNCTION ${s}.coupon_quota_records_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'coupon quota records are immutable';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER coupon_quota_records_immutable BEFORE UPDATE OR DELETE ON ${s}.coupon_quota_records FOR EACH ROW EXECUTE FUNCTION ${s}.coupon_quota_records_immutable()`,
    );

    // Catalog: service types, units of measure, conversions.
    await queryRunner.query(`
      CREATE TABLE ${s}.service_types (
        service_type_code text PRIMARY KEY,
        name_zh text NOT NULL,
        name_en text NOT NULL,
        abbreviation text NOT NULL,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.measure_units (
        measure_id integer PRIMARY KEY,
        measure_type smallint NOT NULL,
        name_zh text NOT NULL,
        name_en text NOT NULL,
        abbreviation text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.measure_conversions (
        measure_id integer NOT NULL,
        ref_measure_id integer NOT NULL,
        conversion_ratio bigint NOT NULL,
        measure_type smallint NOT NULL,
        PRIMARY KEY (measure_id, ref_measure_id),
        CONSTRAINT measure_conversions_ratio_positive CHECK (conversion_ratio > 0)
      )`);
    for (const [code, zh, en, abbreviation] of SEEDED_SERVICE_TYPES) {
      await queryRunner.query(`INSERT INTO ${s}.service_types (service_type_code, name_zh, name_en, abbreviation, created_at, created_by) VALUES ($1, $2, $3, $4, now(), 'migration')`, [
        code,
        zh,
        en,
        abbreviation,
      ]);
    }
    for (const [id, type, zh, en, abbreviation] of SEEDED_MEASURE_UNITS) {
      await queryRunner.query(`INSERT INTO ${s}.measure_units (measure_id, measure_type, name_zh, name_en, abbreviation) VALUES ($1, $2, $3, $4, $5)`, [id, type, zh, en, abbreviation]);
    }
    for (const [from, to, ratio, type] of SEEDED_CONVERSIONS) {
      await queryRunner.query(`INSERT INTO ${s}.measure_conversions (measure_id, ref_measure_id, conversion_ratio, measure_type) VALUES ($1, $2, $3, $4)`, [from, to, ratio, type]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.measure_conversions`);
    await queryRunner.query(`DROP TABLE ${s}.measure_units`);
    await queryRunner.query(`DROP TABLE ${s}.service_types`);
    await queryRunner.query(`DROP TABLE ${s}.coupon_quota_records`);
    await queryRunner.query(`DROP FUNCTION ${s}.coupon_quota_records_immutable()`);
    await queryRunner.query(`DROP TABLE ${s}.coupon_quotas`);
    await queryRunner.query(`DROP TABLE ${s}.partner_profiles`);
  }
}
