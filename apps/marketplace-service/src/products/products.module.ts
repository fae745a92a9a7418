import { Module } from '@nestjs/common';
import { OperatorProductsController, ProductsController } from './products.controller';
import { ProductsService } from './products.service';

@Module({ controllers: [ProductsController, OperatorProductsController], providers: [ProductsService], exports: [ProductsService] })
export class ProductsModule {}
