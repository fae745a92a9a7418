import { disablePartnerRowSecurity, enablePartnerRowSecurity, schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The split section of reconciliation statements: marketplace split bills, under row-level security. */
export class StatementSplitSections1763769609512 implements MigrationInterface {
  name = 'StatementSplitSections1763769609512';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.statement_split_sections (
        split_bill_id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        bill_cycle text NOT NULL,
        currency text NOT NULL,
        order_amount_minor bigint NOT NULL,
        platform_minor bigint NOT NULL,
        seller_minor bigint NOT NULL,
        partner_minor bigint NOT NULL,
        order_count integer NOT NULL,
        refund_count integer NOT NULL,
        issued_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        statement_id uuid,
        statement_revision integer,
        attached_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX statement_split_sections_statement_idx ON ${s}.statement_split_sections (statement_id)`);
    await queryRunner.query(`CREATE INDEX statement_split_sections_waiting_idx ON ${s}.statement_split_sections (partner_id, currency, bill_cycle) WHERE statement_id IS NULL`);
    await enablePartnerRowSecurity(queryRunner, { table: 'statement_split_sections' });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await disablePartnerRowSecurity(queryRunner, 'statement_split_sections');
    await queryRunner.query(`DROP TABLE ${s}.statement_split_sections`);
  }
}
