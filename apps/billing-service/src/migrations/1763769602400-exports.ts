import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Exports1763769602400 implements MigrationInterface {
  name = 'Exports1763769602400';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.export_tasks (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        export_type text NOT NULL,
        params jsonb NOT NULL,
        format text NOT NULL,
        status text NOT NULL,
        file_name text NOT NULL,
        size_bytes bigint,
        row_count integer,
        attempts integer NOT NULL DEFAULT 0,
        error text,
        requested_by text NOT NULL,
        created_at timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        expires_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX export_tasks_partner_idx ON ${s}.export_tasks (partner_id, created_at)`);
    await queryRunner.query(`CREATE INDEX export_tasks_status_idx ON ${s}.export_tasks (status, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaOf(queryRunner)}.export_tasks`);
  }
}
