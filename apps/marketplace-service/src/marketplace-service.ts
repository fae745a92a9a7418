import { defineBackendService } from '@settle/service-kit';
import { ClockModule } from './common/clock';
import { MarketplaceConfigSchema } from './config';
import { Marketplace1764720000100 } from './migrations/1764720000100-marketplace';
import { SplitBillCarryOver1764720000200 } from './migrations/1764720000200-split-bill-carry-over';
import { Order } from './orders/order.entity';
import { OrdersModule } from './orders/orders.module';
import { Refund } from './orders/refund.entity';
import { PartnerProfile } from './partners/partner-profile.entity';
import { PartnersModule } from './partners/partners.module';
import { ProductQuote } from './products/product-quote.entity';
import { Product } from './products/product.entity';
import { ProductsModule } from './products/products.module';
import { ReferralLink } from './referrals/referral-link.entity';
import { ReferralsModule } from './referrals/referrals.module';
import { SplitRuleRow } from './splits/split-rule.entity';
import { SplitsModule } from './splits/splits.module';
import { ExportTask } from './exports/export-task.entity';
import { ExportsModule } from './exports/exports.module';
import { SplitBill } from './split-bills/split-bill.entity';
import { SplitBillsModule } from './split-bills/split-bills.module';

/**
 * marketplace-service: marketplace products and partner-exclusive quotes, referral links, orders
 * and refunds with their revenue split, per-partner split bills and their settlement once the
 * partner confirmed billing's reconciliation statement.
 */
export const MarketplaceService = defineBackendService({
  name: 'marketplace-service',
  defaultSchema: 'marketplace',
  defaultPort: 8085,
  configSchema: MarketplaceConfigSchema,
  entities: [PartnerProfile, Product, ProductQuote, SplitRuleRow, ReferralLink, Order, Refund, SplitBill, ExportTask],
  migrations: [Marketplace1764720000100, SplitBillCarryOver1764720000200],
  features: () => [ClockModule, PartnersModule, ProductsModule, SplitsModule, ReferralsModule, OrdersModule, SplitBillsModule, ExportsModule],
});
