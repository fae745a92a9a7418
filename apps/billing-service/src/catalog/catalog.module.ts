import { Module } from '@nestjs/common';
import { CatalogController, OperatorCatalogController } from './catalog.controller';
import { CatalogService } from './catalog.service';

@Module({
  controllers: [CatalogController, OperatorCatalogController],
  providers: [CatalogService],
  exports: [CatalogService],
})
export class CatalogModule {}
