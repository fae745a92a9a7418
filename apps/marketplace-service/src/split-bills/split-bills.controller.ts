import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, scopeOf } from '@settle/auth';
import { ApiTotalCount, BillCycleSchema, IdSchema } from '@settle/contracts';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { SplitBillLineResponse, SplitBillResponse, lineView, splitBillView } from './split-bill-views';
import { SplitBillsService } from './split-bills.service';

const BillParams = z.object({ split_bill_id: z.uuid({ message: 'must be a split bill id' }) }).strict();
const Page = { offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(10) };
const PageQuery = z.object(Page).strict();
const ListQuery = z.object({ bill_cycle: BillCycleSchema.optional(), ...Page }).strict();
const OperatorListQuery = ListQuery.extend({ partner_id: IdSchema.optional() });
const IssueBody = z.object({ bill_cycle: BillCycleSchema }).strict();

const SplitBillListResponse = z.object({ total_count: ApiTotalCount, split_bills: z.array(SplitBillResponse) });
const SplitBillDetailResponse = SplitBillResponse.extend({ lines: z.array(SplitBillLineResponse).describe('The page (offset, limit) of the bill\'s lines, oldest first.') });
const IssueResponse = z.object({
  bill_cycle: z.string().describe('The cycle issued, YYYY-MM.'),
  issued_count: z.number().int().min(0).describe('How many split bills this call issued (bills issued before are not issued again).'),
  split_bills: z.array(SplitBillResponse),
});

/** Partner API: the partner's split bills (严选分账单) and their lines. */
@Controller('v2/marketplace/split-bills')
@RequirePermission('marketplace:split-bills')
export class SplitBillsController {
  constructor(private readonly splitBills: SplitBillsService) {}

  @Get()
  @ApiRoute({ summary: 'The partner\'s split bills, newest cycle first (program partners only)', response: SplitBillListResponse })
  async list(@ValidQuery(ListQuery) q: z.infer<typeof ListQuery>, @CurrentPrincipal() principal: Principal) {
    const [rows, total] = await this.splitBills.list(scopeOf(principal), { billCycle: q.bill_cycle, offset: q.offset, limit: q.limit });
    return { total_count: total, split_bills: rows.map(splitBillView) };
  }

  @Get(':split_bill_id')
  @ApiRoute({ summary: 'One of the partner\'s split bills with a page of its lines (program partners only)', response: SplitBillDetailResponse })
  async get(@ValidParams(BillParams) { split_bill_id }: z.infer<typeof BillParams>, @ValidQuery(PageQuery) page: z.infer<typeof PageQuery>, @CurrentPrincipal() principal: Principal) {
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
  @ApiRoute({ summary: 'Issues the split bills of a closed cycle, one per partner and currency with lines waiting (idempotent)', response: IssueResponse })
  async issue(@ValidBody(IssueBody) { bill_cycle }: z.infer<typeof IssueBody>) {
    const issued = await this.splitBills.issue(bill_cycle);
    return { bill_cycle, issued_count: issued.length, split_bills: issued.map(splitBillView) };
  }

  @Get()
  @ApiRoute({ summary: 'Every partner\'s split bills, narrowed by partner and cycle', response: SplitBillListResponse })
  async list(@ValidQuery(OperatorListQuery) q: z.infer<typeof OperatorListQuery>) {
    const [rows, total] = await this.splitBills.operatorList({ partnerId: q.partner_id, billCycle: q.bill_cycle, offset: q.offset, limit: q.limit });
    return { total_count: total, split_bills: rows.map(splitBillView) };
  }
}
