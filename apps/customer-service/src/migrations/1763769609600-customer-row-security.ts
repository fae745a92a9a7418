import { PartnerRowSecurity, disablePartnerRowSecurity, enablePartnerRowSecurity } from '@settle/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security on the rest of customer-service's partner tables (see docs/architecture.md,
 * "Tenancy"): members and access keys, associations, the partner's labels and contacts on its
 * customers, the audit of reveals, and verification codes. Partner use cases (and operator use
 * cases on one partner's members and keys) run in that partner's scope; in system scope run the
 * gateway's credential lookup (the key names the partner), associating and ending (the customer's
 * open association, whoever holds it), the association consumers, the operator's views by customer
 * and the customer console, and the per-number code limits (counted over every partner's codes).
 */
export const CustomerPartnerTablesRest: PartnerRowSecurity[] = [
  { table: 'access_keys' },
  { table: 'partner_members' },
  { table: 'customer_associations' },
  { table: 'customer_labels' },
  { table: 'customer_contacts' },
  { table: 'audit_records' },
  { table: 'verification_codes' },
];

export class CustomerRowSecurity1763769609600 implements MigrationInterface {
  name = 'CustomerRowSecurity1763769609600';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const spec of CustomerPartnerTablesRest) await enablePartnerRowSecurity(queryRunner, spec);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const spec of CustomerPartnerTablesRest) await disablePartnerRowSecurity(queryRunner, spec.table);
  }
}
