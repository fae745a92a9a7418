import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Who manages each customer for its partner (a salesperson), so salespeople's bill views can be scoped. */
export class OwnershipAccountManager1763769602700 implements MigrationInterface {
  name = 'OwnershipAccountManager1763769602700';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE ${s}.customer_ownership ADD COLUMN account_manager_id text, ADD COLUMN account_manager_at timestamptz`);
    await queryRunner.query(`CREATE INDEX customer_ownership_manager_idx ON ${s}.customer_ownership (partner_id, account_manager_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP INDEX ${s}.customer_ownership_manager_idx`);
    await queryRunner.query(`ALTER TABLE ${s}.customer_ownership DROP COLUMN account_manager_at, DROP COLUMN account_manager_id`);
  }
}
