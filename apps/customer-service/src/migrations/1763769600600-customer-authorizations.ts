import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Customer authorizations (代客操作授权) and each partner's acceptance of the agency-operation agreement. */
export class CustomerAuthorizations1763769600600 implements MigrationInterface {
  name = 'CustomerAuthorizations1763769600600';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.customer_authorizations (
        id text PRIMARY KEY,
        partner_id text NOT NULL,
        customer_id text NOT NULL,
        scope text NOT NULL,
        status text NOT NULL,
        requested_by_access_key text NOT NULL,
        requested_by_member_id text,
        decided_at timestamptz,
        decided_by text,
        reason text,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX customer_authorizations_one_live_per_pair ON ${s}.customer_authorizations (partner_id, customer_id) WHERE status IN ('pending', 'approved')`,
    );
    await queryRunner.query(`CREATE INDEX customer_authorizations_partner_idx ON ${s}.customer_authorizations (partner_id, created_at)`);
    await queryRunner.query(`CREATE INDEX customer_authorizations_customer_idx ON ${s}.customer_authorizations (customer_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.partner_agreement_acceptances (
        partner_id text PRIMARY KEY,
        agreement_version text NOT NULL,
        accepted_by_access_key text NOT NULL,
        accepted_by_member_id text,
        accepted_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.partner_agreement_acceptances`);
    await queryRunner.query(`DROP TABLE ${s}.customer_authorizations`);
  }
}
