import { defineBackendService } from '@settle/service-kit';
import { Bill, BillItem, BillRevision, BillRun, BillRunPartner } from './bills/bill.entity';
import { BillsModule } from './bills/bills.module';
import { BillingConfigSchema } from './config';
import { CustomerOwnership } from './customer-ownership/customer-ownership.entity';
import { CustomerOwnershipModule } from './customer-ownership/customer-ownership.module';
import { ExportTask } from './exports/export-task.entity';
import { ExportsModule } from './exports/exports.module';
import { BalanceAlert, JournalEntry, LedgerAccount, Posting } from './ledger/ledger.entity';
import { IncomeModule } from './income/income.module';
import { LedgerModule } from './ledger/ledger.module';
import { CustomerOwnership1763769600200 } from './migrations/1763769600200-customer-ownership';
import { UsageAndRating1763769601300 } from './migrations/1763769601300-usage-and-rating';
import { Ledger1763769602200 } from './migrations/1763769602200-ledger';
import { Bills1763769602300 } from './migrations/1763769602300-bills';
import { Exports1763769602400 } from './migrations/1763769602400-exports';
import { Statements1763769602500 } from './migrations/1763769602500-statements';
import { Withdrawals1763769602600 } from './migrations/1763769602600-withdrawals';
import { OwnershipAccountManager1763769602700 } from './migrations/1763769602700-ownership-account-manager';
import { PartnerCoupons1763769602800 } from './migrations/1763769602800-partner-coupons';
import { PartnersQuotasCatalog1763769602100 } from './migrations/1763769602100-partners-quotas-catalog';
import { PartnerRowSecurity1763769609200 } from './migrations/1763769609200-partner-row-security';
import { IngestPartialIndexes1763769609300 } from './migrations/1763769609300-ingest-partial-indexes';
import { UsageRowSecurity1763769609400 } from './migrations/1763769609400-usage-row-security';
import { PartnerCouponRowSecurity1763769609500 } from './migrations/1763769609500-partner-coupon-row-security';
import { StatementSplitSections1763769609512 } from './migrations/1763769609512-statement-split-sections';
import { PartnerProfile } from './partners/partner.entity';
import { MeasureConversion, MeasureUnit, ServiceType } from './catalog/catalog.entity';
import { CatalogModule } from './catalog/catalog.module';
import { CouponQuota, CouponQuotaRecord } from './coupon-quotas/coupon-quota.entity';
import { CouponQuotasModule } from './coupon-quotas/coupon-quotas.module';
import { PartnerCoupon } from './coupons/partner-coupon.entity';
import { PartnerCouponRecord } from './coupons/partner-coupon-record.entity';
import { PartnerCouponsModule } from './coupons/partner-coupons.module';
import { PartnersModule } from './partners/partners.module';
import { BillingCycle } from './rating/billing-cycle.entity';
import { PartnerDiscount } from './rating/partner-discount.entity';
import { RatedLine, RatedLineRevision } from './rating/rated-line.entity';
import { RatingModule } from './rating/rating.module';
import { SplitProgramEnrollment, Statement, StatementAuditRecord } from './statements/statement.entity';
import { StatementsModule } from './statements/statements.module';
import { StatementSplitSection } from './statements/statement-split-section.entity';
import { UsageRecord } from './usage/usage-record.entity';
import { UsageModule } from './usage/usage.module';
import { Withdrawal } from './withdrawals/withdrawal.entity';
import { WithdrawalsModule } from './withdrawals/withdrawals.module';

/** billing-service: usage, bills, accounts, statements. */
export const BillingService = defineBackendService({
  name: 'billing-service',
  defaultSchema: 'billing',
  defaultPort: 8082,
  configSchema: BillingConfigSchema,
  entities: [CustomerOwnership, UsageRecord, BillingCycle, PartnerDiscount, RatedLine, RatedLineRevision, ExportTask, Bill, BillItem, BillRevision, BillRun, BillRunPartner, SplitProgramEnrollment, Statement, StatementAuditRecord, LedgerAccount, JournalEntry, Posting, BalanceAlert, Withdrawal, PartnerProfile, ServiceType, MeasureUnit, MeasureConversion, CouponQuota, CouponQuotaRecord, PartnerCoupon, PartnerCouponRecord, StatementSplitSection],
  migrations: [CustomerOwnership1763769600200, UsageAndRating1763769601300, PartnersQuotasCatalog1763769602100, Ledger1763769602200, Bills1763769602300, Exports1763769602400, Statements1763769602500, Withdrawals1763769602600, OwnershipAccountManager1763769602700, PartnerCoupons1763769602800, PartnerRowSecurity1763769609200, IngestPartialIndexes1763769609300, UsageRowSecurity1763769609400, PartnerCouponRowSecurity1763769609500, StatementSplitSections1763769609512],
  features: () => [CustomerOwnershipModule, RatingModule, UsageModule, BillsModule, ExportsModule, StatementsModule, LedgerModule, WithdrawalsModule, PartnersModule, CatalogModule, CouponQuotasModule, PartnerCouponsModule, IncomeModule],
});
