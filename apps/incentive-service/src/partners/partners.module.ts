import { Module } from '@nestjs/common';
import { PartnersConsumer } from './partners.consumer';
import { PartnersService } from './partners.service';

@Module({ providers: [PartnersConsumer, PartnersService], exports: [PartnersService] })
export class PartnersModule {}
