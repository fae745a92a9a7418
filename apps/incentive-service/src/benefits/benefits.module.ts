import { Module } from '@nestjs/common';
import { OperatorBenefitsController, PartnerBenefitsController } from './benefits.controller';
import { BenefitsService } from './benefits.service';

@Module({ controllers: [PartnerBenefitsController, OperatorBenefitsController], providers: [BenefitsService] })
export class BenefitsModule {}
