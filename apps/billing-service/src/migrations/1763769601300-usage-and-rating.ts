import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class UsageAndRating1763769601300 implements MigrationInterface {
  name = 'UsageAndRating1763769601300';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.usage_records (
        record_id text PRIMARY KEY,
        customer_id text NOT NULL,
        service_type_code text NOT NULL,
        resource_type_code text NOT NULL,
        resource_id text NOT NULL,
        region_code text NOT NULL,
        usage numeric NOT NULL,
        usage_measure_id integer NOT NULL,
        charge_mode text NOT NULL,
        record_type text NOT NULL,
        official_amount_minor bigint NOT NULL,
        currency text NOT NULL,
        occurred_at timestamptz NOT NULL,
        bill_cycle text NOT NULL,
        corrects_record_id text,
        status text NOT NULL,
        partner_id text,
        association_id text,
        association_type smallint,
        source text NOT NULL,
        source_event_id text,
        received_at timestamptz NOT NULL,
        rated_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX usage_records_status_customer_idx ON ${s}.usage_records (status, customer_id, received_at)`);
    await queryRunner.query(`CREATE INDEX usage_records_corrects_idx ON ${s}.usage_records (corrects_record_id)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.billing_cycles (
        bill_cycle text PRIMARY KEY,
        status text NOT NULL,
        closed_at timestamptz,
        closed_by text
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.partner_discounts (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        service_type_code text NOT NULL,
        discount_rate numeric(7,6) NOT NULL,
        effective_from timestamptz NOT NULL,
        effective_to timestamptz,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX partner_discounts_lookup_idx ON ${s}.partner_discounts (partner_id, service_type_code, effective_from)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.rated_lines (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        bill_cycle text NOT NULL,
        customer_id text NOT NULL,
        record_id text NOT NULL,
        line_type text NOT NULL,
        record_type text NOT NULL,
        references_record_id text,
        usage_cycle text NOT NULL,
        association_id text NOT NULL,
        association_type smallint NOT NULL,
        service_type_code text NOT NULL,
        resource_type_code text NOT NULL,
        resource_id text NOT NULL,
        region_code text NOT NULL,
        charge_mode text NOT NULL,
        usage numeric NOT NULL,
        usage_measure_id integer NOT NULL,
        occurred_at timestamptz NOT NULL,
        currency text NOT NULL,
        official_amount_minor bigint NOT NULL,
        discount_rate numeric(7,6) NOT NULL,
        discount_amount_minor bigint NOT NULL,
        rated_amount_minor bigint NOT NULL,
        status text NOT NULL,
        revision integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX rated_lines_key ON ${s}.rated_lines (partner_id, bill_cycle, customer_id, record_id)`);
    await queryRunner.query(`CREATE UNIQUE INDEX rated_lines_record_key ON ${s}.rated_lines (record_id)`);
    await queryRunner.query(`CREATE INDEX rated_lines_references_idx ON ${s}.rated_lines (references_record_id)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.rated_line_revisions (
        line_id uuid NOT NULL,
        revision integer NOT NULL,
        record_id text NOT NULL,
        official_amount_minor bigint NOT NULL,
        discount_rate numeric(7,6) NOT NULL,
        discount_amount_minor bigint NOT NULL,
        rated_amount_minor bigint NOT NULL,
        status text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (line_id, revision)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of ['rated_line_revisions', 'rated_lines', 'partner_discounts', 'billing_cycles', 'usage_records']) {
      await queryRunner.query(`DROP TABLE ${s}.${table}`);
    }
  }
}
