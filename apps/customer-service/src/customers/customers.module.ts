import { Module } from '@nestjs/common';
import { VerificationModule } from '../verification/verification.module';
import { VerificationService } from '../verification/verification.service';
import { CustomerCreationService, VERIFICATION_CODES } from './customer-creation.service';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';
import { OperatorCustomersController } from './operator-customers.controller';

@Module({
  imports: [VerificationModule],
  controllers: [CustomersController, OperatorCustomersController],
  providers: [CustomersService, CustomerCreationService, { provide: VERIFICATION_CODES, useExisting: VerificationService }],
  exports: [CustomersService],
})
export class CustomersModule {}
