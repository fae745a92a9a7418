import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Statements1763769602500 implements MigrationInterface {
  name = 'Statements1763769602500';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.split_program_enrollments (
        partner_id text PRIMARY KEY,
        program text NOT NULL,
        enrolled_at timestamptz NOT NULL,
        enrolled_by text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.statements (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        bill_cycle text NOT NULL,
        currency text NOT NULL,
        program text NOT NULL,
        bill_id uuid NOT NULL,
        bill_amount_minor bigint NOT NULL,
        revision integer NOT NULL,
        status text NOT NULL,
        generated_at timestamptz NOT NULL,
        decided_at timestamptz,
        decided_by text,
        dispute_reason text
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX statements_key ON ${s}.statements (partner_id, bill_cycle, currency)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.statement_audit (
        id uuid PRIMARY KEY,
        statement_id uuid NOT NULL,
        revision integer NOT NULL,
        action text NOT NULL,
        actor text NOT NULL,
        reason text,
        at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX statement_audit_statement_idx ON ${s}.statement_audit (statement_id, at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.statement_audit`);
    await queryRunner.query(`DROP TABLE ${s}.statements`);
    await queryRunner.query(`DROP TABLE ${s}.split_program_enrollments`);
  }
}
