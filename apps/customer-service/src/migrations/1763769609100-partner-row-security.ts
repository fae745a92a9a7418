import { PartnerRowSecurity, disablePartnerRowSecurity, enablePartnerRowSecurity } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security on customer-service's partner tables whose every access path runs in a scoped
 * transaction (see docs/architecture.md, "Tenancy"); the migration spec lists the others.
 */
export const CustomerPartnerTables: PartnerRowSecurity[] = [{ table: 'invitations' }, { table: 'customer_authorizations' }, { table: 'partner_agreement_acceptances' }];

export class PartnerRowSecurity1763769609100 implements MigrationInterface {
  name = 'PartnerRowSecurity1763769609100';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const spec of CustomerPartnerTables) await enablePartnerRowSecurity(queryRunner, spec);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const spec of CustomerPartnerTables) await disablePartnerRowSecurity(queryRunner, spec.table);
  }
}
