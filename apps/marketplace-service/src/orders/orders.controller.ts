import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { ApiAmount, ApiCurrency, ApiTimestamp, ApiTotalCount, ApiUuid, ErrorCodes, IdSchema, NotFoundError, OrderPaidV1, OrderRefundedV1 } from '@settle/contracts';
import { ApiRoute, ValidBody, ValidParams, ValidQuery, describeZodError } from '@settle/platform';
import { z } from 'zod';
import { amountOf } from '../common/money-views';
import { ReferralRejection } from '../referrals/referral-token';
import { Order } from './order.entity';
import { OrdersIngestService } from './orders-ingest.service';

const SplitParts = (what: string) =>
  z.object({ platform_amount: ApiAmount, seller_amount: ApiAmount, partner_amount: ApiAmount }).describe(`${what}; the three parts add up to the amount.`);

/** An order as `orderView` writes it (list and detail). */
const OrderResponse = z
  .object({
    order_id: z.string(),
    product_id: z.string(),
    customer_id: z.string(),
    amount: ApiAmount,
    currency: ApiCurrency,
    paid_time: ApiTimestamp,
    partner_id: z.string().nullable().describe('The referring partner, when a valid referral token came with the order.'),
    referral_status: z.enum(['none', 'attributed', 'rejected']).describe('none: no referral token; attributed: a valid token named the partner; rejected: a token that did not verify (see referral_rejection).'),
    referral_rejection: z
      .enum(['malformed', 'unknown-key', 'bad-signature', 'expired', 'foreign-product'] satisfies ReferralRejection[])
      .nullable()
      .describe('Why the referral token attributed nothing (referral_status rejected).'),
    rule_id: ApiUuid.describe('The split rule the order was split by.'),
    split: SplitParts('The order\'s split between platform, seller and referring partner (no partner: its share goes to the platform)'),
    refunded_amount: ApiAmount.describe('The sum of the order\'s refunds so far.'),
    bill_cycle: z.string().describe('The cycle (YYYY-MM) of the partner\'s split bill the order\'s line lands in.'),
    split_bill_id: ApiUuid.nullable().describe('The split bill that holds the order\'s line, once issued.'),
  })
  .meta({ id: 'MarketplaceOrder' });

const OrderDetailResponse = OrderResponse.extend({
  refunds: z.array(
    z.object({
      refund_id: z.string(),
      amount: ApiAmount,
      refunded_time: ApiTimestamp,
      reversal: SplitParts('What the refund takes back of each share (negative amounts)'),
      bill_cycle: z.string().describe('The cycle (YYYY-MM) of the split bill the reversal lands in.'),
      split_bill_id: ApiUuid.nullable(),
    }),
  ),
});

const BatchErrorDetail = {
  index: z.number().int().min(0).describe('The item\'s position in the request.'),
  error_code: z.enum([ErrorCodes.BadParameter]),
  error_msg: z.string().describe('Why the item was refused (nothing of it was booked).'),
};
const OrdersBatchResponse = z.object({
  total_count: z.number().int(),
  success_count: z.number().int().describe('Orders booked or seen before.'),
  attributed_count: z.number().int().describe('Orders booked with a referring partner.'),
  unattributed_count: z.number().int().describe('Orders booked without one.'),
  duplicate_count: z.number().int().describe('Orders received before (order_id), not booked again.'),
  error_details: z.array(z.object({ ...BatchErrorDetail, order_id: z.string().nullable() })),
});
const RefundsBatchResponse = z.object({
  total_count: z.number().int(),
  success_count: z.number().int().describe('Refunds booked or seen before.'),
  reversed_count: z.number().int().describe('Refunds booked: each share reversed.'),
  duplicate_count: z.number().int().describe('Refunds received before (refund_id), not booked again.'),
  error_details: z.array(z.object({ ...BatchErrorDetail, refund_id: z.string().nullable() })),
});

function orderView(o: Order) {
  const amount = (minor: string) => amountOf(minor, o.currency);
  return {
    order_id: o.orderId,
    product_id: o.productId,
    customer_id: o.customerId,
    amount: amount(o.amountMinor),
    currency: o.currency,
    paid_time: o.paidAt.toISOString(),
    partner_id: o.partnerId,
    referral_status: o.referralStatus,
    referral_rejection: o.referralRejection,
    rule_id: o.ruleId,
    split: { platform_amount: amount(o.platformMinor), seller_amount: amount(o.sellerMinor), partner_amount: amount(o.partnerMinor) },
    refunded_amount: amount(o.refundedMinor),
    bill_cycle: o.billCycle,
    split_bill_id: o.splitBillId,
  };
}

export const MAX_BATCH = 1000;

const OrdersBody = z.object({ orders: z.array(z.unknown().describe('An order-paid event\'s data (settle.marketplace.order-paid v1), validated on its own')).min(1).max(MAX_BATCH) }).strict();
const RefundsBody = z.object({ refunds: z.array(z.unknown().describe('An order-refunded event\'s data (settle.marketplace.order-refunded v1), validated on its own')).min(1).max(MAX_BATCH) }).strict();
const OrderParams = z.object({ order_id: IdSchema }).strict();
const ListQuery = z
  .object({
    partner_id: IdSchema.optional(),
    referral_status: z.enum(['none', 'attributed', 'rejected']).optional(),
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(100).default(10),
  })
  .strict();

type ErrorDetail = { index: number; id: string | null; error_code: string; error_msg: string };

const idOf = (raw: unknown, field: string) => {
  const id = (raw as Record<string, unknown> | null)?.[field];
  return typeof id === 'string' ? id : null;
};

/**
 * Operator API of orders: batch backfill through the same pipeline as Kafka (each item validated
 * on its own, the valid ones booked as one batch; 200 with `error_details[]` for the refused
 * ones, as the partner API's batch calls do), and one order with its attribution and split.
 */
@Controller('operator/marketplace')
@RequireOperator()
export class OrdersController {
  constructor(private readonly orders: OrdersIngestService) {}

  @Post('orders/batch')
  @HttpCode(200)
  @ApiRoute({ summary: 'Backfills paid orders through the Kafka pipeline (200 with error_details for the refused ones)', response: OrdersBatchResponse })
  async ordersBatch(@ValidBody(OrdersBody) { orders }: z.infer<typeof OrdersBody>) {
    const error_details: ErrorDetail[] = [];
    const valid: { index: number; data: z.infer<typeof OrderPaidV1.schema> }[] = [];
    for (const [index, raw] of orders.entries()) {
      const parsed = OrderPaidV1.schema.safeParse(raw);
      if (parsed.success) valid.push({ index, data: parsed.data });
      else error_details.push({ index, id: idOf(raw, 'order_id'), error_code: ErrorCodes.BadParameter, error_msg: describeZodError(parsed.error) });
    }
    const counts = { attributed: 0, unattributed: 0, duplicate: 0 };
    const outcomes = valid.length ? await this.orders.ingestHttpOrders(valid.map((v) => v.data)) : [];
    outcomes.forEach((o, i) => {
      if (typeof o === 'string') counts[o] += 1;
      else error_details.push({ index: valid[i].index, id: valid[i].data.order_id, error_code: ErrorCodes.BadParameter, error_msg: o.rejected });
    });
    error_details.sort((a, b) => a.index - b.index);
    return {
      total_count: orders.length,
      success_count: orders.length - error_details.length,
      attributed_count: counts.attributed,
      unattributed_count: counts.unattributed,
      duplicate_count: counts.duplicate,
      error_details: error_details.map(({ id, ...d }) => ({ ...d, order_id: id })),
    };
  }

  @Post('refunds/batch')
  @HttpCode(200)
  @ApiRoute({ summary: 'Backfills order refunds through the Kafka pipeline (200 with error_details for the refused ones)', response: RefundsBatchResponse })
  async refundsBatch(@ValidBody(RefundsBody) { refunds }: z.infer<typeof RefundsBody>) {
    const error_details: ErrorDetail[] = [];
    const valid: { index: number; data: z.infer<typeof OrderRefundedV1.schema> }[] = [];
    for (const [index, raw] of refunds.entries()) {
      const parsed = OrderRefundedV1.schema.safeParse(raw);
      if (parsed.success) valid.push({ index, data: parsed.data });
      else error_details.push({ index, id: idOf(raw, 'refund_id'), error_code: ErrorCodes.BadParameter, error_msg: describeZodError(parsed.error) });
    }
    const counts = { reversed: 0, duplicate: 0 };
    const outcomes = valid.length ? await this.orders.ingestHttpRefunds(valid.map((v) => v.data)) : [];
    outcomes.forEach((o, i) => {
      if (typeof o === 'string') counts[o] += 1;
      else error_details.push({ index: valid[i].index, id: valid[i].data.refund_id, error_code: ErrorCodes.BadParameter, error_msg: o.rejected });
    });
    error_details.sort((a, b) => a.index - b.index);
    return {
      total_count: refunds.length,
      success_count: refunds.length - error_details.length,
      reversed_count: counts.reversed,
      duplicate_count: counts.duplicate,
      error_details: error_details.map(({ id, ...d }) => ({ ...d, refund_id: id })),
    };
  }

  @Get('orders')
  @ApiRoute({ summary: 'Orders, newest first, narrowed by referring partner and referral outcome', response: z.object({ total_count: ApiTotalCount, orders: z.array(OrderResponse) }) })
  async list(@ValidQuery(ListQuery) q: z.infer<typeof ListQuery>) {
    const [rows, total] = await this.orders.list({ partnerId: q.partner_id, referralStatus: q.referral_status, offset: q.offset, limit: q.limit });
    return { total_count: total, orders: rows.map((o) => orderView(o)) };
  }

  @Get('orders/:order_id')
  @ApiRoute({ summary: 'One order with its attribution, split and refunds', response: OrderDetailResponse })
  async get(@ValidParams(OrderParams) { order_id }: z.infer<typeof OrderParams>) {
    const found = await this.orders.order(order_id);
    if (!found) throw new NotFoundError(`Order ${order_id} was not received.`);
    const { order: o, refunds } = found;
    const amount = (minor: string) => amountOf(minor, o.currency);
    return {
      ...orderView(o),
      refunds: refunds.map((r) => ({
        refund_id: r.refundId,
        amount: amount(r.amountMinor),
        refunded_time: r.refundedAt.toISOString(),
        reversal: { platform_amount: amount(r.platformMinor), seller_amount: amount(r.sellerMinor), partner_amount: amount(r.partnerMinor) },
        bill_cycle: r.billCycle,
        split_bill_id: r.splitBillId,
      })),
    };
  }
}
