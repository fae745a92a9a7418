import { Module } from '@nestjs/common';
import { CustomerCreationService } from './customer-creation.service';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';
import { OperatorCustomersController } from './operator-customers.controller';

@Module({
  controllers: [CustomersController, OperatorCustomersController],
  providers: [CustomersService, CustomerCreationService],
  exports: [CustomersService],
})
export class CustomersModule {}
