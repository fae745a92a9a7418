import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Ledger1763769602200 implements MigrationInterface {
  name = 'Ledger1763769602200';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.ledger_accounts (
        id uuid PRIMARY KEY,
        owner_kind text NOT NULL,
        owner_id text NOT NULL,
        account_type text NOT NULL,
        currency text NOT NULL,
        allow_negative boolean NOT NULL,
        balance_minor bigint NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ledger_accounts_key ON ${s}.ledger_accounts (owner_kind, owner_id, account_type, currency)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.journal_entries (
        id uuid PRIMARY KEY,
        entry_type text NOT NULL,
        idempotency_key text NOT NULL,
        partner_id text,
        customer_id text,
        reverses_entry_id uuid,
        memo text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX journal_entries_idempotency_key ON ${s}.journal_entries (idempotency_key)`);
    await queryRunner.query(`CREATE INDEX journal_entries_partner_idx ON ${s}.journal_entries (partner_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.postings (
        id uuid PRIMARY KEY,
        entry_id uuid NOT NULL,
        account_id uuid NOT NULL,
        amount_minor bigint NOT NULL,
        currency text NOT NULL,
        balance_after_minor bigint NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX postings_account_idx ON ${s}.postings (account_id, created_at)`);
    await queryRunner.query(`CREATE INDEX postings_entry_idx ON ${s}.postings (entry_id)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.balance_alerts (
        partner_id text NOT NULL,
        currency text NOT NULL,
        threshold_minor bigint NOT NULL,
        armed boolean NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (partner_id, currency)
      )`);
    // Entries and postings are immutable: a correction is a reversing entry, never an edit.
    await queryRunner.query(`
      CREATE FUNCTION ${s}.ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger % are immutable: post a reversing entry instead', TG_TABLE_NAME;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER journal_entries_immutable BEFORE UPDATE OR DELETE ON ${s}.journal_entries FOR EACH ROW EXECUTE FUNCTION ${s}.ledger_immutable()`);
    await queryRunner.query(`CREATE TRIGGER postings_immutable BEFORE UPDATE OR DELETE ON ${s}.postings FOR EACH ROW EXECUTE FUNCTION ${s}.ledger_immutable()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.balance_alerts`);
    await queryRunner.query(`DROP TABLE ${s}.postings`);
    await queryRunner.query(`DROP TABLE ${s}.journal_entries`);
    await queryRunner.query(`DROP TABLE ${s}.ledger_accounts`);
    await queryRunner.query(`DROP FUNCTION ${s}.ledger_immutable()`);
  }
}
