import { Module } from '@nestjs/common';
import { CustomerOwnershipController } from './customer-ownership.controller';
import { CustomerOwnershipService } from './customer-ownership.service';

/** The ownership projection (its reader and writer); the usage feature's consumer feeds it. */
@Module({
  controllers: [CustomerOwnershipController],
  providers: [CustomerOwnershipService],
  exports: [CustomerOwnershipService],
})
export class CustomerOwnershipModule {}
