import { PartnerRowSecurity, disablePartnerRowSecurity, enablePartnerRowSecurity } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security on billing's partner tables (see docs/architecture.md, "Tenancy"). Not here,
 * by design: the ledger (an entry moves money between several owners: partner, reseller, customer,
 * platform), bill-run bookkeeping, and the usage, rating and ownership tables, whose writers are
 * consumers and jobs in system scope (listed in the migration spec's exemptions).
 */
export const BillingPartnerTables: PartnerRowSecurity[] = [
  { table: 'bills' },
  { table: 'statements' },
  { table: 'split_program_enrollments' },
  { table: 'withdrawals' },
  { table: 'export_tasks' },
  // A tier-1 reseller or distributor sees the profiles of its tier-2 resellers, and the quotas it issued them.
  { table: 'partner_profiles', alsoVisibleTo: ['parent_partner_id'] },
  { table: 'coupon_quotas', alsoVisibleTo: ['issuer_partner_id'] },
  { table: 'coupon_quota_records', alsoVisibleTo: ['indirect_partner_id'] },
];

export class PartnerRowSecurity1763769609200 implements MigrationInterface {
  name = 'PartnerRowSecurity1763769609200';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const spec of BillingPartnerTables) await enablePartnerRowSecurity(queryRunner, spec);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const spec of BillingPartnerTables) await disablePartnerRowSecurity(queryRunner, spec.table);
  }
}
