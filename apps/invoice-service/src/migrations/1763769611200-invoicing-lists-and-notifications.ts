import { enablePartnerRowSecurity, schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Invoicing lists and their submissions; message settings, webhook endpoints, notifications, deliveries and attempts. All partner tables under row-level security. */
export class InvoicingListsAndNotifications1763769611200 implements MigrationInterface {
  name = 'InvoicingListsAndNotifications1763769611200';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.invoicing_lists (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        application_id uuid NOT NULL,
        notice_ids jsonb NOT NULL,
        period text NOT NULL,
        method text NOT NULL,
        currency text NOT NULL,
        amount_minor bigint NOT NULL,
        net_minor bigint NOT NULL,
        tax_minor bigint NOT NULL,
        gross_minor bigint NOT NULL,
        tax_rate text NOT NULL,
        taxpayer_type text NOT NULL,
        billing_entity jsonb NOT NULL,
        mailing_address jsonb NOT NULL,
        status text NOT NULL,
        submissions integer NOT NULL,
        applied_at timestamptz NOT NULL,
        opened_at timestamptz NOT NULL,
        approved_at timestamptz,
        approved_by text
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX invoicing_lists_application_key ON ${s}.invoicing_lists (application_id)`);
    await queryRunner.query(`CREATE INDEX invoicing_lists_partner_idx ON ${s}.invoicing_lists (partner_id, opened_at)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.invoice_submissions (
        id uuid PRIMARY KEY,
        list_id uuid NOT NULL,
        partner_id text NOT NULL,
        submission integer NOT NULL,
        invoice_number text NOT NULL,
        invoice_code text,
        invoice_date date NOT NULL,
        net_minor bigint NOT NULL,
        tax_minor bigint NOT NULL,
        gross_minor bigint NOT NULL,
        tax_rate text NOT NULL,
        tracking_number text NOT NULL,
        submitted_at timestamptz NOT NULL,
        submitted_by text NOT NULL,
        status text NOT NULL,
        reviewed_at timestamptz,
        reviewed_by text,
        reject_reason text,
        mismatches jsonb
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX invoice_submissions_list_key ON ${s}.invoice_submissions (list_id, submission)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.message_settings (
        partner_id text PRIMARY KEY,
        language text NOT NULL,
        time_zone text NOT NULL,
        email_enabled boolean NOT NULL,
        email_addresses jsonb NOT NULL,
        webhook_enabled boolean NOT NULL,
        updated_at timestamptz NOT NULL,
        updated_by text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.webhook_endpoints (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        url text NOT NULL,
        sealed_secret text NOT NULL,
        secret_version integer NOT NULL,
        status text NOT NULL,
        consecutive_failures integer NOT NULL,
        paused_at timestamptz,
        paused_reason text,
        created_at timestamptz NOT NULL,
        rotated_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX webhook_endpoints_partner_idx ON ${s}.webhook_endpoints (partner_id, status)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.notifications (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        kind text NOT NULL,
        source_key text NOT NULL,
        params jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX notifications_source_key ON ${s}.notifications (kind, source_key)`);
    await queryRunner.query(`CREATE INDEX notifications_partner_idx ON ${s}.notifications (partner_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.notification_deliveries (
        id uuid PRIMARY KEY,
        notification_id uuid NOT NULL,
        partner_id text NOT NULL,
        channel text NOT NULL,
        target text NOT NULL,
        status text NOT NULL,
        generation integer NOT NULL,
        attempts integer NOT NULL,
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX notification_deliveries_key ON ${s}.notification_deliveries (notification_id, channel, target)`);
    await queryRunner.query(`CREATE INDEX notification_deliveries_pending_idx ON ${s}.notification_deliveries (updated_at) WHERE status = 'pending'`);
    await queryRunner.query(`
      CREATE TABLE ${s}.delivery_attempts (
        id uuid PRIMARY KEY,
        delivery_id uuid NOT NULL,
        partner_id text NOT NULL,
        generation integer NOT NULL,
        outcome text NOT NULL,
        detail text,
        started_at timestamptz NOT NULL,
        finished_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX delivery_attempts_delivery_idx ON ${s}.delivery_attempts (delivery_id, started_at)`);
    for (const table of ['invoicing_lists', 'invoice_submissions', 'message_settings', 'webhook_endpoints', 'notifications', 'notification_deliveries', 'delivery_attempts']) {
      await enablePartnerRowSecurity(queryRunner, { table });
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of ['delivery_attempts', 'notification_deliveries', 'notifications', 'webhook_endpoints', 'message_settings', 'invoice_submissions', 'invoicing_lists']) await queryRunner.query(`DROP TABLE ${s}.${table}`);
  }
}
