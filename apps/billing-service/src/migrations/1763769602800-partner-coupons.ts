import { schemaOf } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Vouchers partners issue to their customers from their voucher quota, and the records of each issue and reclaim (immutable). */
export class PartnerCoupons1763769602800 implements MigrationInterface {
  name = 'PartnerCoupons1763769602800';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.partner_coupons (
        id text PRIMARY KEY,
        issuer_partner_id text NOT NULL,
        customer_id text NOT NULL,
        quota_id text NOT NULL,
        coupon_type smallint NOT NULL,
        currency text NOT NULL,
        face_value_minor bigint NOT NULL,
        balance_minor bigint NOT NULL,
        status smallint NOT NULL,
        effective_at timestamptz NOT NULL,
        expire_at timestamptz,
        memo text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT partner_coupons_balance_within_face CHECK (balance_minor >= 0 AND balance_minor <= face_value_minor)
      )`);
    await queryRunner.query(`CREATE INDEX partner_coupons_issuer_idx ON ${s}.partner_coupons (issuer_partner_id, created_at)`);
    await queryRunner.query(`CREATE INDEX partner_coupons_customer_idx ON ${s}.partner_coupons (customer_id)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.partner_coupon_records (
        id uuid PRIMARY KEY,
        operation_type smallint NOT NULL,
        issuer_partner_id text NOT NULL,
        coupon_id text NOT NULL,
        quota_id text NOT NULL,
        customer_id text NOT NULL,
        currency text NOT NULL,
        amount_minor bigint NOT NULL,
        operator text NOT NULL,
        remark text,
        operated_at timestamptz NOT NULL,
        CONSTRAINT partner_coupon_records_amount_positive CHECK (amount_minor > 0)
      )`);
    await queryRunner.query(`CREATE INDEX partner_coupon_records_issuer_idx ON ${s}.partner_coupon_records (issuer_partner_id, operated_at)`);
    await queryRunner.query(`CREATE INDEX partner_coupon_records_coupon_idx ON ${s}.partner_coupon_records (coupon_id)`);
    // Records are history: nobody changes or removes one.
    await queryRunner.query(`CREATE FUNCTION ${s}.partner_coupon_records_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'partner_coupon_records are immutable'; END $$`);
    await queryRunner.query(`CREATE TRIGGER partner_coupon_records_immutable BEFORE UPDATE OR DELETE ON ${s}.partner_coupon_records FOR EACH ROW EXECUTE FUNCTION ${s}.partner_coupon_records_immutable()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.partner_coupon_records`);
    await queryRunner.query(`DROP FUNCTION ${s}.partner_coupon_records_immutable()`);
    await queryRunner.query(`DROP TABLE ${s}.partner_coupons`);
  }
}
