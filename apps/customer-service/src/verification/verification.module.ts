import { DeliverNotificationJob, SweepNotificationsJob } from '@settle/contracts';
import { provideJobQueues } from '@settle/platform';
import { Module } from '@nestjs/common';
import { NotificationsService } from './notifications';
import { VerificationController } from './verification.controller';
import { VerificationService } from './verification.service';

@Module({ controllers: [VerificationController], providers: [NotificationsService, VerificationService, ...provideJobQueues(DeliverNotificationJob, SweepNotificationsJob)], exports: [VerificationService, NotificationsService] })
export class VerificationModule {}
