import { FanOutBillRunJob, GeneratePartnerBillJob, ScheduledBillRunJob, SweepBillRunsJob } from './bill-generation.jobs';
import { JobDefinition } from './define-job';
import { GenerateExportJob, SweepExportsJob } from './export.jobs';
import { FanOutNoticeRunJob, IssueIncentiveNoticeJob } from './incentive-notice.jobs';
import { ExpireInvitationsJob } from './invitation-expiry.job';
import { DeliverInvoiceNotificationJob, SweepInvoiceNotificationsJob } from './invoice-notification.jobs';
import { GenerateSplitBillExportJob, SweepSplitBillExportsJob } from './marketplace-export.jobs';
import { DeliverNotificationJob, SweepNotificationsJob } from './notification.jobs';
import { AttributePendingUsageJob } from './usage-attribution.job';

/**
 * Every BullMQ job the platform runs. Jobs are added here with the issue that builds them
 * (bill generation, exports, invitation expiry, invoice notifications); the JSON Schemas in
 * `libs/contracts/schemas/` are generated from this list.
 */
export const JobCatalog: readonly JobDefinition[] = [ExpireInvitationsJob, DeliverNotificationJob, SweepNotificationsJob, AttributePendingUsageJob, GenerateExportJob, SweepExportsJob, FanOutBillRunJob, GeneratePartnerBillJob, ScheduledBillRunJob, SweepBillRunsJob, FanOutNoticeRunJob, IssueIncentiveNoticeJob, DeliverInvoiceNotificationJob, SweepInvoiceNotificationsJob, GenerateSplitBillExportJob, SweepSplitBillExportsJob];
