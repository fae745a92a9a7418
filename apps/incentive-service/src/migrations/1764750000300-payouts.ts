import { disablePartnerRowSecurity, enablePartnerRowSecurity, schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Payout applications (one per notice, ever), their progress steps, and voucher credit. */
export class Payouts1764750000300 implements MigrationInterface {
  name = 'Payouts1764750000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.payout_applications (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        notice_id uuid NOT NULL,
        period text NOT NULL,
        method text NOT NULL,
        status text NOT NULL,
        currency text NOT NULL,
        amount_minor bigint NOT NULL,
        invoice_required boolean NOT NULL,
        invoice_net_minor bigint,
        invoice_tax_minor bigint,
        invoice_gross_minor bigint,
        invoice_tax_rate text,
        taxpayer_type text,
        invoice_status text NOT NULL,
        payout_id uuid,
        bank_reference text,
        applied_at timestamptz NOT NULL,
        applied_by text NOT NULL,
        released_at timestamptz,
        paid_at timestamptz,
        paid_by text
      )`);
    // A notice is never applied for twice, whatever races: the database says so.
    await queryRunner.query(`CREATE UNIQUE INDEX payout_applications_notice_key ON ${s}.payout_applications (notice_id)`);
    await queryRunner.query(`CREATE INDEX payout_applications_partner_idx ON ${s}.payout_applications (partner_id, applied_at)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.payout_steps (
        application_id uuid NOT NULL,
        step_no integer NOT NULL,
        partner_id text NOT NULL,
        step text NOT NULL,
        detail jsonb NOT NULL,
        at timestamptz NOT NULL,
        by text NOT NULL,
        PRIMARY KEY (application_id, step_no)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.voucher_credits (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        application_id uuid NOT NULL,
        payout_id uuid NOT NULL,
        currency text NOT NULL,
        amount_minor bigint NOT NULL,
        granted_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX voucher_credits_application_key ON ${s}.voucher_credits (application_id)`);
    for (const table of ['payout_applications', 'payout_steps', 'voucher_credits']) await enablePartnerRowSecurity(queryRunner, { table });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of ['payout_applications', 'payout_steps', 'voucher_credits']) await disablePartnerRowSecurity(queryRunner, table);
    for (const table of ['voucher_credits', 'payout_steps', 'payout_applications']) await queryRunner.query(`DROP TABLE ${s}.${table}`);
  }
}
