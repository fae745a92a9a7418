import { Module } from '@nestjs/common';
import { CouponQuotasModule } from '../coupon-quotas/coupon-quotas.module';
import { CustomerOwnershipModule } from '../customer-ownership/customer-ownership.module';
import { PartnerCouponsController } from './partner-coupons.controller';
import { PartnerCouponsService } from './partner-coupons.service';

/** Vouchers partners issue to their customers, paid from their voucher quota. */
@Module({
  imports: [CouponQuotasModule, CustomerOwnershipModule],
  controllers: [PartnerCouponsController],
  providers: [PartnerCouponsService],
})
export class PartnerCouponsModule {}
