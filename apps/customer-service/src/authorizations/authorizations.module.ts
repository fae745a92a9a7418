import { Module } from '@nestjs/common';
import { CustomerConsoleAuthorizationsController, PartnerAuthorizationsController } from './authorizations.controller';
import { AssociationEndConsumer } from './association-end.consumer';
import { AuthorizationsService } from './authorizations.service';

@Module({
  controllers: [PartnerAuthorizationsController, CustomerConsoleAuthorizationsController],
  providers: [AuthorizationsService, AssociationEndConsumer],
})
export class AuthorizationsModule {}
