import { enablePartnerRowSecurity, schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class PartnersAndInvoiceInformation1763769611100 implements MigrationInterface {
  name = 'PartnersAndInvoiceInformation1763769611100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.partner_profiles (
        partner_id text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL,
        taxpayer_type text NOT NULL,
        certification_status text NOT NULL,
        profile_at timestamptz NOT NULL,
        source_event_id uuid NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.invoice_information (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        title text NOT NULL,
        taxpayer_id text NOT NULL,
        invoice_type text NOT NULL,
        bank_name text,
        bank_account text,
        registered_address text,
        registered_phone text,
        mailing_recipient text NOT NULL,
        mailing_phone text NOT NULL,
        mailing_address text NOT NULL,
        status text NOT NULL,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL,
        updated_at timestamptz NOT NULL,
        updated_by text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX invoice_information_partner_idx ON ${s}.invoice_information (partner_id, status)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.invoice_information_audit (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        invoice_information_id uuid NOT NULL,
        action text NOT NULL,
        before jsonb,
        after jsonb NOT NULL,
        reason text,
        by text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX invoice_information_audit_info_idx ON ${s}.invoice_information_audit (invoice_information_id, at)`);
    for (const table of ['partner_profiles', 'invoice_information', 'invoice_information_audit']) await enablePartnerRowSecurity(queryRunner, { table });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.invoice_information_audit`);
    await queryRunner.query(`DROP TABLE ${s}.invoice_information`);
    await queryRunner.query(`DROP TABLE ${s}.partner_profiles`);
  }
}
