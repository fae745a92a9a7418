import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The salesperson who sent an invitation: salespeople see only their own, and get the customer it brings. */
export class InvitationAccountManager1763769600700 implements MigrationInterface {
  name = 'InvitationAccountManager1763769600700';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE ${s}.invitations ADD COLUMN account_manager_id text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE ${s}.invitations DROP COLUMN account_manager_id`);
  }
}
