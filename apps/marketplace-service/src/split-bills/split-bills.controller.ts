import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, scopeOf } from '@settle/auth';
import { BillCycleSchema, IdSchema } from '@settle/contracts';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { amountOf } from '../common/money-views';
import { SplitBill } from './split-bill.entity';
import { SplitBillLineRow } from './split-bill-lines';
import { SplitBillsService } from './split-bills.service';

const BillParams = z.object({ split_bill_id: z.uuid({ message: 'must be a split bill id' }) }).strict();
const Page = { offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(10) };
const ListQuery = z.object({ bill_cycle: BillCycleSchema.optional(), ...Page }).strict();
const IssueBody = z.object({ bill_cycle: BillCycleSchema }).strict();

export function splitBillView(b: SplitBill) {
  const a = (minor: string) => amountOf(minor, b.currency);
  return {
    split_bill_id: b.id,
    partner_id: b.partnerId,
    bill_cycle: b.billCycle,
    currency: b.currency,
    order_amount: a(b.orderAmountMinor),
    platform_amount: a(b.platformMinor),
    seller_amount: a(b.sellerMinor),
    partner_amount: a(b.partnerMinor),
    order_count: b.orderCount,
    refund_count: b.refundCount,
    status: b.status,
    issued_time: b.issuedAt.toISOString(),
    statement_id: b.statementId,
    statement_revision: b.statementRevision,
    settled_time: b.settledAt?.toISOString() ?? null,
    settled_amount: b.settledAmountMinor === null ? null : a(b.settledAmountMinor),
  };
}

export function lineView(l: SplitBillLineRow) {
  const a = (minor: string) => amountOf(minor, l.currency);
  return {
    line_type: l.kind,
    line_id: l.line_id,
    order_id: l.order_id,
    product_id: l.product_id,
    customer_id: l.customer_id,
    time: new Date(l.happened_at).toISOString(),
    amount: a(l.amount_minor),
    platform_amount: a(l.platform_minor),
    seller_amount: a(l.seller_minor),
    partner_amount: a(l.partner_minor),
  };
}

/** Partner API: the partner's split bills (严选分账单) and their lines. */
@Controller('v2/marketplace/split-bills')
@RequirePermission('marketplace:split-bills')
export class SplitBillsController {
  constructor(private readonly splitBills: SplitBillsService) {}

  @Get()
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseInput(ListQuery, query);
    const [rows, total] = await this.splitBills.list(scopeOf(principal), { billCycle: q.bill_cycle, offset: q.offset, limit: q.limit });
    return { total_count: total, split_bills: rows.map(splitBillView) };
  }

  @Get(':split_bill_id')
  async get(@Param() params: unknown, @Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const { split_bill_id } = parseInput(BillParams, params);
    const page = parseInput(z.object(Page).strict(), query);
    const { bill, lines } = await this.splitBills.get(scopeOf(principal), split_bill_id, page);
    return { ...splitBillView(bill), lines: lines.map(lineView) };
  }
}

/** Operator API: issue a closed cycle's split bills; every partner's bills. */
@Controller('operator/marketplace/split-bills')
@RequireOperator()
export class OperatorSplitBillsController {
  constructor(private readonly splitBills: SplitBillsService) {}

  @Post('issue')
  @HttpCode(200)
  async issue(@Body() body: unknown) {
    const { bill_cycle } = parseInput(IssueBody, body);
    const issued = await this.splitBills.issue(bill_cycle);
    return { bill_cycle, issued_count: issued.length, split_bills: issued.map(splitBillView) };
  }

  @Get()
  async list(@Query() query: unknown) {
    const q = parseInput(ListQuery.extend({ partner_id: IdSchema.optional() }), query);
    const [rows, total] = await this.splitBills.operatorList({ partnerId: q.partner_id, billCycle: q.bill_cycle, offset: q.offset, limit: q.limit });
    return { total_count: total, split_bills: rows.map(splitBillView) };
  }
}
