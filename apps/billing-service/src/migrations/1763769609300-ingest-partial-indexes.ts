import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The indexes that find what waits or what corrects are needed only for those few rows: partial
 * indexes keep every other ingested record from paying for them (three index entries fewer per
 * record on the ingest path).
 */
export class IngestPartialIndexes1763769609300 implements MigrationInterface {
  name = 'IngestPartialIndexes1763769609300';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP INDEX ${s}.usage_records_status_customer_idx`);
    await queryRunner.query(`CREATE INDEX usage_records_waiting_idx ON ${s}.usage_records (customer_id, received_at) WHERE status = 'unattributed'`);
    await queryRunner.query(`DROP INDEX ${s}.usage_records_corrects_idx`);
    await queryRunner.query(`CREATE INDEX usage_records_corrects_idx ON ${s}.usage_records (corrects_record_id) WHERE corrects_record_id IS NOT NULL`);
    await queryRunner.query(`DROP INDEX ${s}.rated_lines_references_idx`);
    await queryRunner.query(`CREATE INDEX rated_lines_references_idx ON ${s}.rated_lines (references_record_id) WHERE references_record_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP INDEX ${s}.rated_lines_references_idx`);
    await queryRunner.query(`CREATE INDEX rated_lines_references_idx ON ${s}.rated_lines (references_record_id)`);
    await queryRunner.query(`DROP INDEX ${s}.usage_records_corrects_idx`);
    await queryRunner.query(`CREATE INDEX usage_records_corrects_idx ON ${s}.usage_records (corrects_record_id)`);
    await queryRunner.query(`DROP INDEX ${s}.usage_records_waiting_idx`);
    await queryRunner.query(`CREATE INDEX usage_records_status_customer_idx ON ${s}.usage_records (status, customer_id, received_at)`);
  }
}
