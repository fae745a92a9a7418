import { Module } from '@nestjs/common';
import { AssociationsController } from './associations.controller';
import { AssociationsService } from './associations.service';

@Module({ controllers: [AssociationsController], providers: [AssociationsService] })
export class AssociationsModule {}
