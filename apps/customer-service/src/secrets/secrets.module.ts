import { Module } from '@nestjs/common';
import { ResealService } from './reseal.service';
import { SecretsController } from './secrets.controller';

@Module({ controllers: [SecretsController], providers: [ResealService] })
export class SecretsModule {}
