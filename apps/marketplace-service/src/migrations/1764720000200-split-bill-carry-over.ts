import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A split bill that owes the partner less than nothing (reversals of refunds after settlement
 * beyond the period's new shares) settles without a payment; what it owes back is carried into
 * the partner's next split bill in that currency (`carried_in_minor`), once (`carried_to`).
 */
export class SplitBillCarryOver1764720000200 implements MigrationInterface {
  name = 'SplitBillCarryOver1764720000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE ${s}.split_bills ADD COLUMN carried_in_minor bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE ${s}.split_bills ADD COLUMN carried_to uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE ${s}.split_bills DROP COLUMN carried_to`);
    await queryRunner.query(`ALTER TABLE ${s}.split_bills DROP COLUMN carried_in_minor`);
  }
}
