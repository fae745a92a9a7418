import { describeServiceMigrations } from '@settle/service-kit/testing';
import { BillingService } from './billing-service';

describeServiceMigrations(BillingService, {
  // A voucher and its records name their partner as the issuer.
  partnerColumns: ['partner_id', 'issuer_partner_id'],
  rowSecurityExempt: [
    // The ledger: one entry moves money between several owners (partner, tier-2 reseller, customer, platform).
    'journal_entries',
    'balance_alerts',
    // Bill-run bookkeeping of the jobs (no partner data beyond the id).
    'bill_runs',
    'bill_run_partners',
    // The cycles' open/closed state: no partner's data.
    'billing_cycles',
  ],
});
