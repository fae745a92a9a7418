import { Module } from '@nestjs/common';
import { ProductsModule } from '../products/products.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { SplitBillsLedger } from '../split-bills/split-bills-ledger';
import { SplitsModule } from '../splits/splits.module';
import { OrdersConsumer } from './orders.consumer';
import { OrdersController } from './orders.controller';
import { OrdersIngestService } from './orders-ingest.service';

@Module({
  imports: [ProductsModule, SplitsModule, ReferralsModule],
  controllers: [OrdersController],
  providers: [OrdersIngestService, OrdersConsumer, SplitBillsLedger],
  exports: [OrdersIngestService],
})
export class OrdersModule {}
