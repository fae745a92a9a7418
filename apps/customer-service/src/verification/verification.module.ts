import { Module } from '@nestjs/common';
import { NotificationsService } from './notifications';
import { VerificationController } from './verification.controller';
import { VerificationService } from './verification.service';

@Module({ controllers: [VerificationController], providers: [NotificationsService, VerificationService], exports: [VerificationService, NotificationsService] })
export class VerificationModule {}
