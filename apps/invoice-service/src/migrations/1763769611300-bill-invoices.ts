import { enablePartnerRowSecurity, schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Bill payments (from billing's events), the invoiceable balance per partner and currency, bill invoices. Under row-level security. */
export class BillInvoices1763769611300 implements MigrationInterface {
  name = 'BillInvoices1763769611300';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.bill_payments (
        payment_id text PRIMARY KEY,
        partner_id text NOT NULL,
        bill_id uuid,
        bill_cycle text,
        currency text NOT NULL,
        amount_minor bigint NOT NULL,
        paid_at timestamptz NOT NULL,
        source_event_id uuid NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX bill_payments_partner_idx ON ${s}.bill_payments (partner_id, paid_at)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.invoiceable_balances (
        partner_id text NOT NULL,
        currency text NOT NULL,
        paid_minor bigint NOT NULL,
        invoiced_minor bigint NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (partner_id, currency),
        CONSTRAINT invoiceable_balances_never_over CHECK (invoiced_minor >= 0 AND invoiced_minor <= paid_minor)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.bill_invoices (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        request_id text NOT NULL,
        currency text NOT NULL,
        amount_minor bigint NOT NULL,
        invoice_information_id uuid NOT NULL,
        information jsonb NOT NULL,
        status text NOT NULL,
        requested_at timestamptz NOT NULL,
        requested_by text NOT NULL,
        invoice_number text,
        invoice_code text,
        issued_at timestamptz,
        issued_by text
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX bill_invoices_request_key ON ${s}.bill_invoices (partner_id, request_id)`);
    await queryRunner.query(`CREATE INDEX bill_invoices_partner_idx ON ${s}.bill_invoices (partner_id, requested_at)`);
    for (const table of ['bill_payments', 'invoiceable_balances', 'bill_invoices']) await enablePartnerRowSecurity(queryRunner, { table });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of ['bill_invoices', 'invoiceable_balances', 'bill_payments']) await queryRunner.query(`DROP TABLE ${s}.${table}`);
  }
}
