import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { ApiAmount, ApiCurrency, ApiTimestamp, ApiTotalCount, BadParameterError, BillCycleSchema, IdSchema, NotFoundError } from '@settle/contracts';
import { Decimal, Money } from '@settle/money';
import { inPartnerScope } from '@settle/persistence';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { LineFilter, RatedLinesReader } from '../rating/rated-lines.reader';
import { Bill, BillItem, BillRevision } from './bill.entity';
import { PartnersService } from '../partners/partners.service';
import { BillsService, RunProgress } from './bills.service';
import { FeeRecordsQuery, FeeRecordsResponse, MonthlySumsResponse, feeRecordsView, monthlySumsView } from './partner-bill-views';

const amount = (minorUnits: string, currency: string) => Money.fromMinor(minorUnits, currency).toString();

/** The public API's codes: charge_mode 1 yearly/monthly, 3 on-demand; bill_type 0 consumption, 1 refund, 2 adjustment. */
const CHARGE_MODES_BY_CODE: Record<string, string> = { '1': 'yearly-monthly', '3': 'on-demand' };

/** A bill's, item's or revision's totals (totalsView). */
const Totals = {
  consume_amount: ApiAmount.describe('Consumption (rated, after the partner discount)'),
  refunds: ApiAmount.describe('Refunds (negative or zero)'),
  adjustments: ApiAmount,
  official_amount: ApiAmount.describe('The list amount of the lines'),
  discount_amount: ApiAmount,
  tax_amount: ApiAmount.describe('The VAT amount_due contains'),
  amount_due: ApiAmount.describe('consume_amount + refunds + adjustments, tax included'),
  line_count: z.number().int(),
};
const BillStatus = z.enum(['draft', 'final']).describe('draft while the cycle is open; final once it is closed and billed');
/** A bill (billView), in the operator's list and detail. */
const BillResponse = z
  .object({
    bill_id: z.string(),
    partner_id: z.string(),
    bill_cycle: z.string().describe('YYYY-MM'),
    currency: ApiCurrency,
    status: BillStatus,
    revision: z.number().int(),
    customer_count: z.number().int(),
    vat_rate: z.string().describe('The VAT rate as a decimal fraction ("0.06")'),
    ...Totals,
    generated_time: ApiTimestamp,
    finalized_time: ApiTimestamp.nullable(),
  })
  .meta({ id: 'BillingBill' });
/** A bill run's progress (runView), when started and when read. */
const RunResponse = z
  .object({
    run_id: z.string(),
    bill_cycle: z.string().describe('YYYY-MM'),
    finalize: z.boolean().describe('true: the cycle was closed when the run started, so its bills are final'),
    status: z.enum(['running', 'completed', 'completed-with-failures']),
    requested_by: z.string(),
    partners_total: z.number().int().nullable().describe('null until the run has listed the cycle\'s partners'),
    partners_done: z.number().int(),
    partners_failed: z.number().int(),
    partners_pending: z.number().int(),
    progress: z.number().int().min(0).max(100).describe('Percent of the partners done or failed'),
    created_time: ApiTimestamp,
    completed_time: ApiTimestamp.nullable(),
  })
  .meta({ id: 'BillingBillRun' });
const BillDetailResponse = BillResponse.extend({
  items: z.array(z.object({ customer_id: z.string(), service_type_code: z.string(), ...Totals })).describe('The bill per customer and service type'),
  revisions: z.array(z.object({ revision: z.number().int(), status: BillStatus, run_id: z.string(), created_time: ApiTimestamp, ...Totals })).describe('Every version of the bill, oldest first'),
}).meta({ id: 'BillingBillDetail' });
const SummaryResponse = z.object({
  bill_cycle: z.string().describe('YYYY-MM'),
  initial_amount_due: ApiAmount.describe('consume_amount + refunds + adjustments, tax included'),
  consume_amount: ApiAmount,
  refunds: ApiAmount,
  adjustments: ApiAmount,
  tax_amount: ApiAmount.describe('The VAT initial_amount_due contains'),
  currency: ApiCurrency,
  bill_id: z.string(),
  bill_status: BillStatus,
  revision: z.number().int(),
});
const NotOwnReseller = { status: 400, code: 'CBC.99000037', when: 'indirect_partner_id is not one of the caller\'s tier-2 resellers' };

/** SQL for a line's bill_type code (a correction-adjustment is an adjustment, as `categoryOf` says). */
function totalsView(b: Bill | BillItem | BillRevision, currency: string) {
  return {
    consume_amount: amount(b.consumptionMinor, currency),
    refunds: amount(b.refundsMinor, currency),
    adjustments: amount(b.adjustmentsMinor, currency),
    official_amount: amount(b.officialMinor, currency),
    discount_amount: amount(b.discountMinor, currency),
    tax_amount: amount(b.taxMinor, currency),
    amount_due: amount(b.amountDueMinor, currency),
    line_count: b.lineCount,
  };
}

export function billView(b: Bill) {
  return {
    bill_id: b.id,
    partner_id: b.partnerId,
    bill_cycle: b.billCycle,
    currency: b.currency,
    status: b.status,
    revision: b.revision,
    customer_count: b.customerCount,
    vat_rate: Decimal.of(b.vatRate).normalize().toString(),
    ...totalsView(b, b.currency),
    generated_time: b.generatedAt.toISOString(),
    finalized_time: b.finalizedAt?.toISOString() ?? null,
  };
}

function runView({ run, done, failed, pending }: RunProgress) {
  const total = run.partnersTotal;
  return {
    run_id: run.id,
    bill_cycle: run.billCycle,
    finalize: run.finalize,
    status: run.status,
    requested_by: run.requestedBy,
    partners_total: total,
    partners_done: done,
    partners_failed: failed,
    partners_pending: pending,
    progress: total ? Math.floor((100 * (done + failed)) / total) : total === 0 ? 100 : 0,
    created_time: run.createdAt.toISOString(),
    completed_time: run.completedAt?.toISOString() ?? null,
  };
}

const RunBody = z.object({ bill_cycle: BillCycleSchema }).strict();
const RunParams = z.object({ run_id: z.uuid({ message: 'must be a bill run id' }) }).strict();
const BillParams = z.object({ bill_id: z.uuid({ message: 'must be a bill id' }) }).strict();
const Page = { offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(10) };
const BillsQuery = z.object({ partner_id: IdSchema.optional(), bill_cycle: BillCycleSchema.optional(), ...Page }).strict();

/** Operator side of bill generation: trigger a run, follow its progress, read any bill with its history. */
@Controller('operator/billing')
@RequireOperator()
export class OperatorBillsController {
  constructor(private readonly bills: BillsService) {}

  /** Answers at once with the run; the bills are generated by the workers. */
  @Post('bill-runs')
  @HttpCode(202)
  @ApiRoute({
    summary: 'Starts a bill run of a cycle (final bills if the cycle is closed, drafts otherwise); the workers generate the bills',
    response: RunResponse,
    errors: [{ status: 409, code: 'CBC.0102', when: 'the cycle has not started yet' }],
  })
  async trigger(@ValidBody(RunBody) { bill_cycle }: z.infer<typeof RunBody>, @CurrentPrincipal() principal: Principal | undefined) {
    const run = await this.bills.startRun(bill_cycle, callerOf(principal));
    return runView(await this.bills.progress(run.id));
  }

  @Get('bill-runs/:run_id')
  @ApiRoute({ summary: 'A bill run\'s progress', response: RunResponse })
  async run(@ValidParams(RunParams) { run_id }: z.infer<typeof RunParams>) {
    return runView(await this.bills.progress(run_id));
  }

  @Get('bills')
  @ApiRoute({ summary: 'Every partner\'s bills (partner_id and bill_cycle narrow the list)', response: z.object({ total_count: ApiTotalCount, bills: z.array(BillResponse) }) })
  async list(@ValidQuery(BillsQuery) q: z.infer<typeof BillsQuery>) {
    const [rows, total] = await this.bills.operatorBills({ partnerId: q.partner_id, billCycle: q.bill_cycle, offset: q.offset, limit: q.limit });
    return { total_count: total, bills: rows.map(billView) };
  }

  @Get('bills/:bill_id')
  @ApiRoute({ summary: 'One bill with its items and revisions', response: BillDetailResponse })
  async bill(@ValidParams(BillParams) { bill_id }: z.infer<typeof BillParams>) {
    const { bill, items, revisions } = await this.bills.operatorBill(bill_id);
    return {
      ...billView(bill),
      items: items.map((i) => ({ customer_id: i.customerId, service_type_code: i.serviceTypeCode, ...totalsView(i, bill.currency) })),
      revisions: revisions.map((r) => ({ revision: r.revision, status: r.status, run_id: r.runId, created_time: r.createdAt.toISOString(), ...totalsView(r, bill.currency) })),
    };
  }
}

const SummaryQuery = z.object({ bill_cycle: BillCycleSchema, currency: z.string().length(3).optional() }).strict();
const MonthlySumQuery = z
  .object({
    cycle: BillCycleSchema,
    charge_mode: z.enum(['1', '3']).optional(),
    bill_type: z.enum(['0', '1', '2']).optional(),
    customer_id: IdSchema.optional(),
    cloud_service_type: z.string().min(1).max(256).optional(),
    indirect_partner_id: IdSchema.optional(),
    ...Page,
  })
  .strict();

/** SQL restricting rated lines to the customers a salesperson manages now (`?` is its member id). */
/**
 * The partner API of bills, compatible with the public one where it has the function. The bill
 * summary carries every customer of the partner, so it is for the admin and finance roles; a
 * salesperson reads the customer sums and fee records of the customers it manages now, and of no
 * other (another customer's read as if it had none).
 */
@Controller('v2/bills')
@RequirePermission('bills')
export class PartnerBillsController {
  constructor(
    private readonly bills: BillsService,
    private readonly partners: PartnersService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Monthly bill summary: amount due (tax included) = consumption + refunds + adjustments; the VAT it contains. */
  @Get('partner-bills/postpaid-bill-summary')
  @ApiRoute({ summary: 'The partner\'s monthly bill summary: amount due, consumption, refunds, adjustments and the VAT it contains', response: SummaryResponse })
  async summary(@ValidQuery(SummaryQuery) q: z.infer<typeof SummaryQuery>, @CurrentPrincipal() principal: Principal) {
    const bills = (await this.bills.partnerBills(scopeOf(principal), q.bill_cycle)).filter((b) => !q.currency || b.currency === q.currency);
    if (bills.length === 0) throw new NotFoundError(`There is no bill for ${q.bill_cycle}${q.currency ? ` in ${q.currency}` : ''} yet.`);
    if (bills.length > 1) throw new BadParameterError(`currency: the bill of ${q.bill_cycle} exists in ${bills.map((b) => b.currency).join(', ')}; name one.`);
    const [b] = bills;
    return {
      bill_cycle: b.billCycle,
      initial_amount_due: amount(b.amountDueMinor, b.currency),
      consume_amount: amount(b.consumptionMinor, b.currency),
      refunds: amount(b.refundsMinor, b.currency),
      adjustments: amount(b.adjustmentsMinor, b.currency),
      tax_amount: amount(b.taxMinor, b.currency),
      currency: b.currency,
      bill_id: b.id,
      bill_status: b.status,
      revision: b.revision,
    };
  }

  /** Customers' consumption summed per month, customer, service type, charge mode and bill type. */
  @Get('partner-bills/subcustomer-bills/monthly-sum')
  @RequirePermission('bills', 'customers:own')
  @ApiRoute({ summary: 'Customers\' consumption summed per customer, service type, charge mode and bill type (ListSubcustomerMonthlyBills)', response: MonthlySumsResponse, errors: [NotOwnReseller] })
  async monthlySum(@ValidQuery(MonthlySumQuery) q: z.infer<typeof MonthlySumQuery>, @CurrentPrincipal() principal: Principal) {
    const scope = scopeOf(principal);
    // A tier-1 reseller or distributor may read the sums of one of its tier-2 resellers' customers.
    if (q.indirect_partner_id) await this.partners.requireOwnReseller(scope, q.indirect_partner_id);
    const filter: LineFilter = {
      partnerId: q.indirect_partner_id ?? scope.partnerId,
      cycle: q.cycle,
      accountManagerId: scope.accountManagerId,
      customerId: q.customer_id,
      serviceTypeCode: q.cloud_service_type?.toLowerCase(),
      chargeMode: q.charge_mode === undefined ? undefined : CHARGE_MODES_BY_CODE[q.charge_mode],
      billType: q.bill_type,
    };
    // Scoped to the partner whose lines are read: the caller, or its tier-2 reseller checked above.
    const { total, rows } = await inPartnerScope(this.dataSource, filter.partnerId, (m) => RatedLinesReader.monthlySums(m, filter, q));
    return monthlySumsView(q.cycle, total, rows);
  }

  /** One customer's fee records (the bill lines of its resources) in a cycle; another partner's customer has none. */
  @Get('subcustomer-bills/res-fee-records')
  @RequirePermission('bills', 'customers:own')
  @ApiRoute({ summary: 'One customer\'s fee records (its bill lines) in a cycle (ListSubCustomerBillDetail)', response: FeeRecordsResponse })
  async feeRecords(@ValidQuery(FeeRecordsQuery) q: z.infer<typeof FeeRecordsQuery>, @CurrentPrincipal() principal: Principal) {
    const scope = scopeOf(principal);
    const filter: LineFilter = {
      partnerId: scope.partnerId,
      cycle: q.cycle,
      customerId: q.customer_id,
      accountManagerId: scope.accountManagerId,
      serviceTypeCode: q.cloud_service_type?.toLowerCase(),
      regionCode: q.region,
      chargeMode: q.charge_mode === undefined ? undefined : CHARGE_MODES_BY_CODE[q.charge_mode],
      billType: q.bill_type,
      resourceId: q.resource_id,
      recordId: q.trade_id,
      associationType: q.association_type,
    };
    const { total, rows } = await inPartnerScope(this.dataSource, scope.partnerId, (m) => RatedLinesReader.lines(m, filter, q));
    return feeRecordsView(total, rows);
  }
}
