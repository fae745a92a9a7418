import { disablePartnerRowSecurity, enablePartnerRowSecurity, schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Special-benefit qualification applications (FH, NRE) and their audit trail. */
export class SpecialBenefits1764750000400 implements MigrationInterface {
  name = 'SpecialBenefits1764750000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.benefit_applications (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        benefit_type text NOT NULL,
        status text NOT NULL,
        details jsonb NOT NULL,
        reject_reason text,
        submitted_at timestamptz NOT NULL,
        submitted_by text NOT NULL,
        reviewed_at timestamptz,
        reviewed_by text
      )`);
    await queryRunner.query(`CREATE INDEX benefit_applications_partner_idx ON ${s}.benefit_applications (partner_id, submitted_at)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.benefit_audit_records (
        application_id uuid NOT NULL,
        seq integer NOT NULL,
        partner_id text NOT NULL,
        action text NOT NULL,
        reason text,
        at timestamptz NOT NULL,
        by text NOT NULL,
        PRIMARY KEY (application_id, seq)
      )`);
    for (const table of ['benefit_applications', 'benefit_audit_records']) await enablePartnerRowSecurity(queryRunner, { table });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of ['benefit_applications', 'benefit_audit_records']) await disablePartnerRowSecurity(queryRunner, table);
    for (const table of ['benefit_audit_records', 'benefit_applications']) await queryRunner.query(`DROP TABLE ${s}.${table}`);
  }
}
