import { Module } from '@nestjs/common';
import { PartnersConsumer } from './partners.consumer';
import { PartnersController } from './partners.controller';
import { PartnersService } from './partners.service';

@Module({ controllers: [PartnersController], providers: [PartnersConsumer, PartnersService], exports: [PartnersService] })
export class PartnersModule {}
