import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Partner profiles (tier, parent, level, taxpayer type, certification), members with roles, member-bound and revocable keys. */
export class PartnerProfilesMembersKeys1763769600400 implements MigrationInterface {
  name = 'PartnerProfilesMembersKeys1763769600400';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      ALTER TABLE ${s}.partners
        ADD COLUMN tier smallint,
        ADD COLUMN parent_partner_id text,
        ADD COLUMN level text NOT NULL DEFAULT 'registered',
        ADD COLUMN taxpayer_type text NOT NULL DEFAULT 'general',
        ADD COLUMN certification_status text NOT NULL DEFAULT 'uncertified',
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await queryRunner.query(`UPDATE ${s}.partners SET tier = 1 WHERE kind = 'reseller'`);
    await queryRunner.query(`CREATE INDEX partners_parent_partner_id_idx ON ${s}.partners (parent_partner_id)`);
    await queryRunner.query(`
      ALTER TABLE ${s}.access_keys
        ADD COLUMN member_id text,
        ADD COLUMN revoked_at timestamptz,
        ADD COLUMN revoked_by text,
        ADD COLUMN replaced_by text`);
    await queryRunner.query(`CREATE INDEX access_keys_member_id_idx ON ${s}.access_keys (member_id)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.partner_members (
        id text PRIMARY KEY,
        partner_id text NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        mobile text,
        email text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX partner_members_partner_idx ON ${s}.partner_members (partner_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.partner_members`);
    await queryRunner.query(`DROP INDEX ${s}.access_keys_member_id_idx`);
    await queryRunner.query(`ALTER TABLE ${s}.access_keys DROP COLUMN member_id, DROP COLUMN revoked_at, DROP COLUMN revoked_by, DROP COLUMN replaced_by`);
    await queryRunner.query(`DROP INDEX ${s}.partners_parent_partner_id_idx`);
    await queryRunner.query(
      `ALTER TABLE ${s}.partners DROP COLUMN tier, DROP COLUMN parent_partner_id, DROP COLUMN level, DROP COLUMN taxpayer_type, DROP COLUMN certification_status, DROP COLUMN updated_at`,
    );
  }
}
