import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The W3C trace context of the request or job that wrote an outbox row, published with it. */
export class MessagingTraceContext1763769600001 implements MigrationInterface {
  name = 'MessagingTraceContext1763769600001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${schemaOf(queryRunner)}.outbox ADD COLUMN IF NOT EXISTS trace_parent text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${schemaOf(queryRunner)}.outbox DROP COLUMN IF EXISTS trace_parent`);
  }
}
