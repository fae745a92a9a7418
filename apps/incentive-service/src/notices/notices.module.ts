import { Module } from '@nestjs/common';
import { FanOutNoticeRunJob, IssueIncentiveNoticeJob } from '@settle/contracts';
import { provideJobQueues } from '@settle/platform';
import { PartnersModule } from '../partners/partners.module';
import { PoliciesModule } from '../policies/policies.module';
import { OperatorNoticesController, PartnerNoticesController } from './notices.controller';
import { NoticesService } from './notices.service';
import { NoticesWorker } from './notices.worker';

@Module({
  imports: [PartnersModule, PoliciesModule],
  controllers: [PartnerNoticesController, OperatorNoticesController],
  providers: [NoticesService, NoticesWorker, ...provideJobQueues(FanOutNoticeRunJob, IssueIncentiveNoticeJob)],
  exports: [NoticesService],
})
export class NoticesModule {}
