import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { MessagingTraceContext1763769600001 } from './messaging-trace-context.migration';

/** The outbox and inbox tables every service has in its own schema. */
export class MessagingTables1763769600000 implements MigrationInterface {
  name = 'MessagingTables1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.outbox (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        topic text NOT NULL,
        partition_key text NOT NULL,
        subject text,
        correlation_id text,
        data jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        published_at timestamptz,
        publish_attempts integer NOT NULL DEFAULT 0,
        last_error text,
        CONSTRAINT outbox_event_id_key UNIQUE (event_id)
      )`);
    await queryRunner.query(`CREATE INDEX outbox_unpublished_idx ON ${s}.outbox (id) WHERE published_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE ${s}.processed_events (
        consumer_group text NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        "offset" bigint NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.processed_events`);
    await queryRunner.query(`DROP TABLE ${s}.outbox`);
  }
}

/** Every migration of the messaging tables, in order: each service runs these before its own. */
export const MessagingMigrations = [MessagingTables1763769600000, MessagingTraceContext1763769600001];
