import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CustomerOwnership1763769600200 implements MigrationInterface {
  name = 'CustomerOwnership1763769600200';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.customer_ownership (
        association_id text PRIMARY KEY,
        partner_id text NOT NULL,
        customer_id text NOT NULL,
        association_type smallint NOT NULL,
        effective_from timestamptz NOT NULL,
        effective_to timestamptz,
        source_event_id uuid NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX customer_ownership_customer_idx ON ${s}.customer_ownership (customer_id, effective_from)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaOf(queryRunner)}.customer_ownership`);
  }
}
