import { Module } from '@nestjs/common';
import { CustomerOwnershipConsumer } from './customer-ownership.consumer';
import { CustomerOwnershipController } from './customer-ownership.controller';
import { CustomerOwnershipService } from './customer-ownership.service';

@Module({
  controllers: [CustomerOwnershipController],
  providers: [CustomerOwnershipConsumer, CustomerOwnershipService],
  exports: [CustomerOwnershipService],
})
export class CustomerOwnershipModule {}
