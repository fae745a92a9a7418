import { disablePartnerRowSecurity, enablePartnerRowSecurity, schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** incentive's partner projection, the eligible amounts it accrued from billing's events, and the policies. */
export class PartnersAccrualsPolicies1764750000100 implements MigrationInterface {
  name = 'PartnersAccrualsPolicies1764750000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.partner_profiles (
        partner_id text PRIMARY KEY,
        kind text NOT NULL,
        level text NOT NULL,
        taxpayer_type text NOT NULL,
        certification_status text NOT NULL,
        profile_at timestamptz NOT NULL,
        source_event_id uuid NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.accruals (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        customer_id text NOT NULL,
        association_type smallint NOT NULL,
        service_type_code text NOT NULL,
        period text NOT NULL,
        currency text NOT NULL,
        amount_minor bigint NOT NULL,
        source_kind text NOT NULL,
        source_ref text NOT NULL,
        bill_id uuid NOT NULL,
        source_event_id uuid NOT NULL,
        notice_id uuid,
        accrued_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX accruals_source_key ON ${s}.accruals (source_ref)`);
    await queryRunner.query(`CREATE INDEX accruals_partner_period_idx ON ${s}.accruals (partner_id, period)`);
    await queryRunner.query(`CREATE INDEX accruals_unclaimed_idx ON ${s}.accruals (partner_id) WHERE notice_id IS NULL`);
    await queryRunner.query(`
      CREATE TABLE ${s}.policies (
        policy_id uuid PRIMARY KEY,
        code text NOT NULL,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX policies_code_key ON ${s}.policies (code)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.policy_versions (
        policy_id uuid NOT NULL,
        version integer NOT NULL,
        name text NOT NULL,
        partner_kinds text[] NOT NULL,
        partner_levels text[] NOT NULL,
        service_type_codes text[] NOT NULL,
        service_type_names jsonb NOT NULL,
        association_types smallint[] NOT NULL,
        currency text NOT NULL,
        rate jsonb NOT NULL,
        new_customer_bonus_rate numeric,
        cap numeric,
        discount_allowed boolean NOT NULL,
        effective_from text NOT NULL,
        effective_to text,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL,
        PRIMARY KEY (policy_id, version)
      )`);
    for (const table of ['partner_profiles', 'accruals']) await enablePartnerRowSecurity(queryRunner, { table });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of ['partner_profiles', 'accruals']) await disablePartnerRowSecurity(queryRunner, table);
    await queryRunner.query(`DROP TABLE ${s}.policy_versions`);
    await queryRunner.query(`DROP TABLE ${s}.policies`);
    await queryRunner.query(`DROP TABLE ${s}.accruals`);
    await queryRunner.query(`DROP TABLE ${s}.partner_profiles`);
  }
}
