import { Module } from '@nestjs/common';
import { PartnersModule } from '../partners/partners.module';
import { PartnerPoliciesController } from './partner-policies.controller';
import { OperatorPoliciesController } from './policies.controller';
import { PoliciesService } from './policies.service';

@Module({
  imports: [PartnersModule],
  controllers: [OperatorPoliciesController, PartnerPoliciesController],
  providers: [PoliciesService],
  exports: [PoliciesService],
})
export class PoliciesModule {}
