import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class PartnersQuotasCatalog1763769602100 implements MigrationInterface {
  name = 'PartnersQuotasCatalog1763769602100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.partner_profiles (
        partner_id text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL,
        tier smallint,
        parent_partner_id text,
        level text NOT NULL,
        taxpayer_type text NOT NULL,
        certification_status text NOT NULL,
        registered_at timestamptz NOT NULL,
        profile_at timestamptz NOT NULL,
        source_event_id uuid NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX partner_profiles_parent_idx ON ${s}.partner_profiles (parent_partner_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.partner_profiles`);
  }
}
