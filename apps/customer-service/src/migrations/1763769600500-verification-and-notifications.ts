import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Verification codes (hashed) and the notifications waiting for or done with delivery. */
export class VerificationAndNotifications1763769600500 implements MigrationInterface {
  name = 'VerificationAndNotifications1763769600500';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.verification_codes (
        id text PRIMARY KEY,
        receiver text NOT NULL,
        scene text NOT NULL,
        code_hash text NOT NULL,
        partner_id text NOT NULL,
        expires_at timestamptz NOT NULL,
        consumed_at timestamptz,
        failed_attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX verification_codes_receiver_idx ON ${s}.verification_codes (receiver, created_at)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.notifications (
        id text PRIMARY KEY,
        channel text NOT NULL,
        recipient text NOT NULL,
        template text NOT NULL,
        text text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        deliveries integer NOT NULL DEFAULT 0,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX notifications_pending_idx ON ${s}.notifications (created_at) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX notifications_recipient_idx ON ${s}.notifications (recipient, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.notifications`);
    await queryRunner.query(`DROP TABLE ${s}.verification_codes`);
  }
}
