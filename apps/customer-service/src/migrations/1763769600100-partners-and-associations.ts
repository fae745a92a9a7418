import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class PartnersAndAssociations1763769600100 implements MigrationInterface {
  name = 'PartnersAndAssociations1763769600100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.partners (
        id text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.access_keys (
        access_key text PRIMARY KEY,
        partner_id text NOT NULL,
        secret_ciphertext text NOT NULL,
        status text NOT NULL DEFAULT 'active',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX access_keys_partner_id_idx ON ${s}.access_keys (partner_id)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.customer_associations (
        id text PRIMARY KEY,
        partner_id text NOT NULL,
        customer_id text NOT NULL,
        association_type smallint NOT NULL,
        effective_from timestamptz NOT NULL,
        effective_to timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX customer_associations_one_open_per_customer ON ${s}.customer_associations (customer_id) WHERE effective_to IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX customer_associations_partner_idx ON ${s}.customer_associations (partner_id, effective_from)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.customer_associations`);
    await queryRunner.query(`DROP TABLE ${s}.access_keys`);
    await queryRunner.query(`DROP TABLE ${s}.partners`);
  }
}
