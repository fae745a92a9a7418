import { Module } from '@nestjs/common';
import { AccrualConsumer } from './accrual.consumer';

@Module({ providers: [AccrualConsumer] })
export class AccrualModule {}
