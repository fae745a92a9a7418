import { PartnerRowSecurity, disablePartnerRowSecurity, enablePartnerRowSecurity } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security on the vouchers partners issue (see docs/architecture.md, "Tenancy"): a
 * coupon and its records belong to the partner that issued them (`issuer_partner_id`), and every
 * reader and writer (issue, reclaim, the lists and the records) runs in that partner's scope.
 */
export const PartnerCouponTables: PartnerRowSecurity[] = [
  { table: 'partner_coupons', column: 'issuer_partner_id' },
  { table: 'partner_coupon_records', column: 'issuer_partner_id' },
];

export class PartnerCouponRowSecurity1763769609500 implements MigrationInterface {
  name = 'PartnerCouponRowSecurity1763769609500';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const spec of PartnerCouponTables) await enablePartnerRowSecurity(queryRunner, spec);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const spec of PartnerCouponTables) await disablePartnerRowSecurity(queryRunner, spec.table);
  }
}
