import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

const amounts = `
        consumption_minor bigint NOT NULL,
        refunds_minor bigint NOT NULL,
        adjustments_minor bigint NOT NULL,
        official_minor bigint NOT NULL,
        discount_minor bigint NOT NULL,
        amount_due_minor bigint NOT NULL,
        tax_minor bigint NOT NULL,
        line_count integer NOT NULL`;

export class Bills1763769602300 implements MigrationInterface {
  name = 'Bills1763769602300';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.bills (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        bill_cycle text NOT NULL,
        currency text NOT NULL,
        status text NOT NULL,
        revision integer NOT NULL,
        customer_count integer NOT NULL,
        vat_rate numeric(7,6) NOT NULL,
        content_hash text NOT NULL,
        last_run_id uuid NOT NULL,
        generated_at timestamptz NOT NULL,
        finalized_at timestamptz,${amounts}
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX bills_key ON ${s}.bills (partner_id, bill_cycle, currency)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.bill_items (
        bill_id uuid NOT NULL,
        customer_id text NOT NULL,
        service_type_code text NOT NULL,${amounts},
        PRIMARY KEY (bill_id, customer_id, service_type_code)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.bill_revisions (
        bill_id uuid NOT NULL,
        revision integer NOT NULL,
        status text NOT NULL,
        content_hash text NOT NULL,
        run_id uuid NOT NULL,
        created_at timestamptz NOT NULL,${amounts},
        PRIMARY KEY (bill_id, revision)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.bill_runs (
        id uuid PRIMARY KEY,
        bill_cycle text NOT NULL,
        finalize boolean NOT NULL,
        requested_by text NOT NULL,
        trigger_key text,
        status text NOT NULL,
        partners_total integer,
        created_at timestamptz NOT NULL,
        completed_at timestamptz
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX bill_runs_trigger_key ON ${s}.bill_runs (trigger_key)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.bill_run_partners (
        run_id uuid NOT NULL,
        partner_id text NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        error text,
        finished_at timestamptz,
        PRIMARY KEY (run_id, partner_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of ['bill_run_partners', 'bill_runs', 'bill_revisions', 'bill_items', 'bills']) await queryRunner.query(`DROP TABLE ${s}.${table}`);
  }
}
