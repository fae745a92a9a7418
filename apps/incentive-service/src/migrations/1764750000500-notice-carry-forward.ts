import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A notice with a negative total is carried into the partner's next notice as a line of its own
 * (no policy: it is the earlier notice's balance), and remembers the notice it was carried into.
 */
export class NoticeCarryForward1764750000500 implements MigrationInterface {
  name = 'NoticeCarryForward1764750000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const column of ['policy_id', 'policy_code', 'policy_version', 'service_type_code']) await queryRunner.query(`ALTER TABLE ${s}.notice_lines ALTER COLUMN ${column} DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE ${s}.notice_lines ADD COLUMN carried_notice_id uuid`);
    await queryRunner.query(`ALTER TABLE ${s}.notices ADD COLUMN carried_into_notice_id uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE ${s}.notices DROP COLUMN carried_into_notice_id`);
    await queryRunner.query(`ALTER TABLE ${s}.notice_lines DROP COLUMN carried_notice_id`);
    await queryRunner.query(`DELETE FROM ${s}.notice_lines WHERE policy_id IS NULL`);
    for (const column of ['policy_id', 'policy_code', 'policy_version', 'service_type_code']) await queryRunner.query(`ALTER TABLE ${s}.notice_lines ALTER COLUMN ${column} SET NOT NULL`);
  }
}
