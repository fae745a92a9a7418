import { PartnerRowSecurity, disablePartnerRowSecurity, enablePartnerRowSecurity } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security on usage, rating and ownership (see docs/architecture.md, "Tenancy"): their
 * writers are the consumers and the jobs in system scope, their partner readers (bill APIs,
 * exports, funding checks) run in the partner's scope, operator views in system scope. A usage
 * record still waiting for its owner has no partner and is visible in system scope only.
 */
export const UsagePartnerTables: PartnerRowSecurity[] = [{ table: 'usage_records' }, { table: 'rated_lines' }, { table: 'partner_discounts' }, { table: 'customer_ownership' }];

export class UsageRowSecurity1763769609400 implements MigrationInterface {
  name = 'UsageRowSecurity1763769609400';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const spec of UsagePartnerTables) await enablePartnerRowSecurity(queryRunner, spec);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const spec of UsagePartnerTables) await disablePartnerRowSecurity(queryRunner, spec.table);
  }
}
