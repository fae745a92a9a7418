import { Module } from '@nestjs/common';
import { PartnerSelfServiceController } from './partner-self-service.controller';
import { PartnersController } from './partners.controller';
import { PartnersService } from './partners.service';

@Module({ controllers: [PartnersController, PartnerSelfServiceController], providers: [PartnersService], exports: [PartnersService] })
export class PartnersModule {}
