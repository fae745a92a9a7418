import { Module } from '@nestjs/common';
import { AssociationCompletionConsumer } from './association-completion.consumer';
import { AssociationsController } from './associations.controller';
import { AssociationsService } from './associations.service';

@Module({ controllers: [AssociationsController], providers: [AssociationsService, AssociationCompletionConsumer], exports: [AssociationsService] })
export class AssociationsModule {}
