import { BackendConfigSchema } from '@settle/platform';
import { defineBackendService } from '@settle/service-kit';
import { Accrual } from './accrual/accrual.entity';
import { AccrualModule } from './accrual/accrual.module';
import { ClockModule } from './clock';
import { PartnersAccrualsPolicies1764750000100 } from './migrations/1764750000100-partners-accruals-policies';
import { Notices1764750000200 } from './migrations/1764750000200-notices';
import { Payouts1764750000300 } from './migrations/1764750000300-payouts';
import { SpecialBenefits1764750000400 } from './migrations/1764750000400-special-benefits';
import { NoticeCarryForward1764750000500 } from './migrations/1764750000500-notice-carry-forward';
import { BenefitApplication } from './benefits/benefit-application.entity';
import { BenefitAuditRecord } from './benefits/benefit-audit-record.entity';
import { BenefitsModule } from './benefits/benefits.module';
import { PayoutApplication } from './payouts/payout-application.entity';
import { PayoutStep } from './payouts/payout-step.entity';
import { PayoutsModule } from './payouts/payouts.module';
import { VoucherCredit } from './payouts/voucher-credit.entity';
import { NoticeLine } from './notices/notice-line.entity';
import { NoticeRunPartner } from './notices/notice-run-partner.entity';
import { NoticeRun } from './notices/notice-run.entity';
import { Notice } from './notices/notice.entity';
import { NoticesModule } from './notices/notices.module';
import { PartnerProfile } from './partners/partner-profile.entity';
import { PartnersModule } from './partners/partners.module';
import { PoliciesModule } from './policies/policies.module';
import { Policy } from './policies/policy.entity';
import { PolicyVersionRow } from './policies/policy-version.entity';

/**
 * incentive-service: incentive policies, accrual of what billing says partners earned on, notices
 * with their tax rules, payout applications (see docs/incentive-service.md).
 */
export const IncentiveService = defineBackendService({
  name: 'incentive-service',
  defaultSchema: 'incentive',
  defaultPort: 8083,
  configSchema: BackendConfigSchema,
  entities: [PartnerProfile, Accrual, Policy, PolicyVersionRow, NoticeRun, NoticeRunPartner, Notice, NoticeLine, PayoutApplication, PayoutStep, VoucherCredit, BenefitApplication, BenefitAuditRecord],
  migrations: [PartnersAccrualsPolicies1764750000100, Notices1764750000200, Payouts1764750000300, SpecialBenefits1764750000400, NoticeCarryForward1764750000500],
  features: () => [ClockModule, PartnersModule, AccrualModule, PoliciesModule, NoticesModule, PayoutsModule, BenefitsModule],
});
