import { Global, Module } from '@nestjs/common';
import { PartnersConsumer } from './partners.consumer';
import { PartnersService } from './partners.service';

@Global()
@Module({ providers: [PartnersService, PartnersConsumer], exports: [PartnersService] })
export class PartnersModule {}
