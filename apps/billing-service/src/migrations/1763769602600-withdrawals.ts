import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Withdrawals1763769602600 implements MigrationInterface {
  name = 'Withdrawals1763769602600';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.withdrawals (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        request_id text NOT NULL,
        currency text NOT NULL,
        amount_minor bigint NOT NULL,
        status text NOT NULL,
        remark text,
        reject_reason text,
        hold_entry_id uuid NOT NULL,
        settle_entry_id uuid,
        applied_at timestamptz NOT NULL,
        applied_by text NOT NULL,
        reviewed_at timestamptz,
        reviewed_by text,
        paid_at timestamptz,
        paid_by text,
        deleted_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX withdrawals_partner_idx ON ${s}.withdrawals (partner_id, applied_at)`);
    await queryRunner.query(`CREATE UNIQUE INDEX withdrawals_request_key ON ${s}.withdrawals (partner_id, request_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaOf(queryRunner)}.withdrawals`);
  }
}
