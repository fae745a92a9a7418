import { PartnerRowSecurity, disablePartnerRowSecurity, enablePartnerRowSecurity, schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every marketplace table with a partner_id is under row-level security: a partner-scoped
 * transaction sees and writes only that partner's rows. Orders and refunds not attributed to a
 * partner (partner_id null) are visible in system scope only.
 */
export const MarketplacePartnerTables: PartnerRowSecurity[] = [
  { table: 'partner_profiles' },
  { table: 'referral_links' },
  { table: 'orders' },
  { table: 'refunds' },
  { table: 'split_bills' },
  { table: 'export_tasks' },
];

export class Marketplace1764720000100 implements MigrationInterface {
  name = 'Marketplace1764720000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.partner_profiles (
        partner_id text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL,
        profile_at timestamptz NOT NULL,
        source_event_id uuid NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.products (
        product_id text PRIMARY KEY,
        name text NOT NULL,
        category text NOT NULL,
        seller_id text NOT NULL,
        strict_selection boolean NOT NULL,
        currency text NOT NULL,
        on_demand_price_minor bigint,
        monthly_price_minor bigint,
        yearly_price_minor bigint,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.product_quotes (
        id uuid PRIMARY KEY,
        product_id text NOT NULL,
        quote_type text NOT NULL,
        name text NOT NULL,
        currency text NOT NULL,
        list_amount_minor bigint NOT NULL,
        quote_amount_minor bigint NOT NULL,
        items jsonb NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_to timestamptz,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX product_quotes_product_idx ON ${s}.product_quotes (product_id, valid_from)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.split_rules (
        id uuid PRIMARY KEY,
        scope_kind text NOT NULL,
        product_id text,
        category text,
        strict_selection boolean NOT NULL,
        platform_pct numeric(7, 4) NOT NULL,
        partner_pct numeric(7, 4) NOT NULL,
        effective_from timestamptz NOT NULL,
        effective_to timestamptz,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.referral_links (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        product_id text NOT NULL,
        kid text NOT NULL,
        expires_at timestamptz,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX referral_links_partner_idx ON ${s}.referral_links (partner_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.orders (
        order_id text PRIMARY KEY,
        product_id text NOT NULL,
        customer_id text NOT NULL,
        amount_minor bigint NOT NULL,
        currency text NOT NULL,
        paid_at timestamptz NOT NULL,
        partner_id text,
        referral_status text NOT NULL,
        referral_rejection text,
        referral_kid text,
        rule_id uuid NOT NULL,
        platform_minor bigint NOT NULL,
        seller_minor bigint NOT NULL,
        partner_minor bigint NOT NULL,
        refunded_minor bigint NOT NULL,
        bill_cycle text NOT NULL,
        split_bill_id uuid,
        source text NOT NULL,
        source_event_id uuid,
        received_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX orders_partner_cycle_idx ON ${s}.orders (partner_id, currency, bill_cycle) WHERE partner_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE ${s}.refunds (
        refund_id text PRIMARY KEY,
        order_id text NOT NULL,
        partner_id text,
        amount_minor bigint NOT NULL,
        currency text NOT NULL,
        refunded_at timestamptz NOT NULL,
        platform_minor bigint NOT NULL,
        seller_minor bigint NOT NULL,
        partner_minor bigint NOT NULL,
        bill_cycle text NOT NULL,
        split_bill_id uuid,
        source text NOT NULL,
        source_event_id uuid,
        received_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX refunds_order_idx ON ${s}.refunds (order_id)`);
    await queryRunner.query(`CREATE INDEX refunds_partner_cycle_idx ON ${s}.refunds (partner_id, currency, bill_cycle) WHERE partner_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE ${s}.split_bills (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        bill_cycle text NOT NULL,
        currency text NOT NULL,
        order_amount_minor bigint NOT NULL,
        platform_minor bigint NOT NULL,
        seller_minor bigint NOT NULL,
        partner_minor bigint NOT NULL,
        order_count integer NOT NULL,
        refund_count integer NOT NULL,
        status text NOT NULL,
        issued_at timestamptz NOT NULL,
        statement_id uuid,
        statement_revision integer,
        settled_at timestamptz,
        settled_amount_minor bigint
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX split_bills_key ON ${s}.split_bills (partner_id, bill_cycle, currency)`);
    await queryRunner.query(`CREATE INDEX split_bills_statement_idx ON ${s}.split_bills (statement_id) WHERE statement_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE ${s}.export_tasks (
        id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        split_bill_id uuid NOT NULL,
        status text NOT NULL,
        file_name text NOT NULL,
        size_bytes bigint,
        row_count integer,
        attempts integer NOT NULL DEFAULT 0,
        error text,
        requested_by text NOT NULL,
        created_at timestamptz NOT NULL,
        finished_at timestamptz,
        expires_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX export_tasks_partner_idx ON ${s}.export_tasks (partner_id, created_at)`);
    for (const spec of MarketplacePartnerTables) await enablePartnerRowSecurity(queryRunner, spec);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const spec of MarketplacePartnerTables) await disablePartnerRowSecurity(queryRunner, spec.table);
    for (const t of ['export_tasks', 'split_bills', 'refunds', 'orders', 'referral_links', 'split_rules', 'product_quotes', 'products', 'partner_profiles']) {
      await queryRunner.query(`DROP TABLE ${s}.${t}`);
    }
  }
}
