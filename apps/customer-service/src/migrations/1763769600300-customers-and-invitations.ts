import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Customer accounts and their standing, vouchers, labels, contacts, reveal audit; association detail; invitations. */
export class CustomersAndInvitations1763769600300 implements MigrationInterface {
  name = 'CustomersAndInvitations1763769600300';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.customers (
        id text PRIMARY KEY,
        domain_name text NOT NULL,
        name text,
        mobile text,
        email text,
        xaccount_id text,
        xaccount_type text,
        created_by_partner_id text,
        unclosed_resources integer NOT NULL DEFAULT 0,
        has_arrears boolean NOT NULL DEFAULT false,
        cash_balance numeric(20,2) NOT NULL DEFAULT '0',
        has_uninvoiced_amount boolean NOT NULL DEFAULT false,
        postpaid boolean NOT NULL DEFAULT false,
        special_contract boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX customers_domain_name_key ON ${s}.customers (domain_name)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.customer_vouchers (
        id text PRIMARY KEY,
        customer_id text NOT NULL,
        kind text NOT NULL,
        face_value numeric(20,2) NOT NULL,
        currency character(3) NOT NULL,
        status text NOT NULL DEFAULT 'unused',
        voided_at timestamptz,
        voided_by_association_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX customer_vouchers_customer_idx ON ${s}.customer_vouchers (customer_id, status)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.customer_labels (
        partner_id text NOT NULL,
        customer_id text NOT NULL,
        label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (partner_id, customer_id, label)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.customer_contacts (
        id text PRIMARY KEY,
        partner_id text NOT NULL,
        customer_id text NOT NULL,
        name text NOT NULL,
        mobile text,
        email text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX customer_contacts_customer_idx ON ${s}.customer_contacts (partner_id, customer_id)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.audit_records (
        id text PRIMARY KEY,
        partner_id text NOT NULL,
        access_key text NOT NULL,
        member_id text,
        action text NOT NULL,
        customer_id text NOT NULL,
        field text NOT NULL,
        request_id text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX audit_records_customer_idx ON ${s}.audit_records (customer_id, at)`);
    await queryRunner.query(`
      ALTER TABLE ${s}.customer_associations
        ADD COLUMN indirect_partner_id text,
        ADD COLUMN account_manager_id text,
        ADD COLUMN source text NOT NULL DEFAULT 'operator',
        ADD COLUMN ended_reason text`);
    await queryRunner.query(`CREATE INDEX customer_associations_customer_history_idx ON ${s}.customer_associations (customer_id, effective_from)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.invitations (
        id text PRIMARY KEY,
        partner_id text NOT NULL,
        kind text NOT NULL,
        token_hash text NOT NULL,
        mobile text,
        association_type smallint NOT NULL,
        status text NOT NULL,
        expires_at timestamptz,
        accepted_customer_id text,
        accepted_at timestamptz,
        replaced_by_id text,
        replaces_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX invitations_token_hash_key ON ${s}.invitations (token_hash)`);
    await queryRunner.query(`CREATE INDEX invitations_partner_idx ON ${s}.invitations (partner_id, created_at)`);
    await queryRunner.query(`CREATE INDEX invitations_expiry_idx ON ${s}.invitations (expires_at) WHERE status = 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.invitations`);
    await queryRunner.query(`DROP INDEX ${s}.customer_associations_customer_history_idx`);
    await queryRunner.query(`ALTER TABLE ${s}.customer_associations DROP COLUMN indirect_partner_id, DROP COLUMN account_manager_id, DROP COLUMN source, DROP COLUMN ended_reason`);
    for (const table of ['audit_records', 'customer_contacts', 'customer_labels', 'customer_vouchers', 'customers']) await queryRunner.query(`DROP TABLE ${s}.${table}`);
  }
}
