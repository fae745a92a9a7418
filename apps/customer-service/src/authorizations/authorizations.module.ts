import { Module } from '@nestjs/common';
import { CustomerConsoleAuthorizationsController, PartnerAuthorizationsController } from './authorizations.controller';
import { AuthorizationsService } from './authorizations.service';

@Module({
  controllers: [PartnerAuthorizationsController, CustomerConsoleAuthorizationsController],
  providers: [AuthorizationsService],
})
export class AuthorizationsModule {}
