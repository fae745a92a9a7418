import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { ErrorCodes, IdSchema, NotFoundError, OrderPaidV1, OrderRefundedV1 } from '@settle/contracts';
import { describeZodError, parseInput } from '@settle/platform';
import { z } from 'zod';
import { amountOf } from '../common/money-views';
import { Order } from './order.entity';
import { OrdersIngestService } from './orders-ingest.service';

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

const OrdersBody = z.object({ orders: z.array(z.unknown()).min(1).max(MAX_BATCH) }).strict();
const RefundsBody = z.object({ refunds: z.array(z.unknown()).min(1).max(MAX_BATCH) }).strict();
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
  async ordersBatch(@Body() body: unknown) {
    const { orders } = parseInput(OrdersBody, body);
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
  async refundsBatch(@Body() body: unknown) {
    const { refunds } = parseInput(RefundsBody, body);
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
  async list(@Query() query: unknown) {
    const q = parseInput(ListQuery, query);
    const [rows, total] = await this.orders.list({ partnerId: q.partner_id, referralStatus: q.referral_status, offset: q.offset, limit: q.limit });
    return { total_count: total, orders: rows.map((o) => orderView(o)) };
  }

  @Get('orders/:order_id')
  async get(@Param() params: unknown) {
    const { order_id } = parseInput(OrderParams, params);
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
