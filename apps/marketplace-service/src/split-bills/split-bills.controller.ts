import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, scopeOf } from '@settle/auth';
import { BillCycleSchema, IdSchema } from '@settle/contracts';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { lineView, splitBillView } from './split-bill-views';
import { SplitBillsService } from './split-bills.service';

const BillParams = z.object({ split_bill_id: z.uuid({ message: 'must be a split bill id' }) }).strict();
const Page = { offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(10) };
const ListQuery = z.object({ bill_cycle: BillCycleSchema.optional(), ...Page }).strict();
const IssueBody = z.object({ bill_cycle: BillCycleSchema }).strict();

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
