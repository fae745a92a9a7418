import { Module } from '@nestjs/common';
import { PartnersModule } from '../partners/partners.module';
import { CouponQuotasController, IssuedCouponQuotasController, OperatorCouponQuotasController } from './coupon-quotas.controller';
import { CouponQuotasService } from './coupon-quotas.service';

@Module({
  imports: [PartnersModule],
  controllers: [CouponQuotasController, IssuedCouponQuotasController, OperatorCouponQuotasController],
  providers: [CouponQuotasService],
  exports: [CouponQuotasService],
})
export class CouponQuotasModule {}
