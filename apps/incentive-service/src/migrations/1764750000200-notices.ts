import { disablePartnerRowSecurity, enablePartnerRowSecurity, schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Incentive notices with their lines, and the runs that issue them. */
export class Notices1764750000200 implements MigrationInterface {
  name = 'Notices1764750000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.notice_runs (
        id uuid PRIMARY KEY,
        period text NOT NULL,
        requested_by text NOT NULL,
        status text NOT NULL,
        partners_total integer,
        created_at timestamptz NOT NULL,
        completed_at timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.notice_run_partners (
        run_id uuid NOT NULL,
        partner_id text NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        error text,
        finished_at timestamptz,
        PRIMARY KEY (run_id, partner_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.notices (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        period text NOT NULL,
        currency text NOT NULL,
        total_minor bigint NOT NULL,
        earned_line_count integer NOT NULL,
        adjustment_line_count integer NOT NULL,
        status text NOT NULL,
        run_id uuid NOT NULL,
        issued_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX notices_key ON ${s}.notices (partner_id, period, currency)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.notice_lines (
        notice_id uuid NOT NULL,
        line_no integer NOT NULL,
        partner_id text NOT NULL,
        kind text NOT NULL,
        period text NOT NULL,
        policy_id uuid NOT NULL,
        policy_code text NOT NULL,
        policy_version integer NOT NULL,
        service_type_code text NOT NULL,
        eligible_minor bigint NOT NULL,
        incentive_minor bigint NOT NULL,
        source_refs text[] NOT NULL,
        PRIMARY KEY (notice_id, line_no)
      )`);
    for (const table of ['notices', 'notice_lines']) await enablePartnerRowSecurity(queryRunner, { table });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of ['notices', 'notice_lines']) await disablePartnerRowSecurity(queryRunner, table);
    for (const table of ['notice_lines', 'notices', 'notice_run_partners', 'notice_runs']) await queryRunner.query(`DROP TABLE ${s}.${table}`);
  }
}
