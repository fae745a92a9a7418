import { Module } from '@nestjs/common';
import { ExpireInvitationsJob } from '@settle/contracts';
import { provideJobQueues } from '@settle/platform';
import { AssociationsModule } from '../associations/associations.module';
import { CustomersModule } from '../customers/customers.module';
import { InvitationExpiryWorker } from './invitation-expiry.worker';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';

@Module({
  imports: [AssociationsModule, CustomersModule],
  controllers: [InvitationsController],
  providers: [InvitationsService, InvitationExpiryWorker, ...provideJobQueues(ExpireInvitationsJob)],
})
export class InvitationsModule {}
