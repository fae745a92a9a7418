import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { ApiAmount, ApiCurrency, ApiTimestamp, ApiTotalCount, ApiUuid, BadParameterError, ErrorCodes, IdSchema } from '@settle/contracts';
import { isCurrency } from '@settle/money';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { AmountInput, amountText, moneyOf } from '../common/amounts';
import { BillInvoice } from './bill-invoice.entity';
import { BillInvoicesService } from './bill-invoices.service';
import { BillInvoiceErrors } from './invoiceable';
import { InvoiceInformationDetails } from '../invoice-information/invoice-information.controller';

const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code').refine(isCurrency, 'must be an active ISO 4217 code');
const RequestBody = z
  .object({
    request_id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only'),
    currency: Currency.default('CNY'),
    amount: AmountInput.optional(),
    invoice_information_id: z.uuid({ message: 'must be an invoice information id' }).optional(),
  })
  .strict();
const BalanceQuery = z.object({ currency: Currency.default('CNY') }).strict();
const Params = z.object({ bill_invoice_id: z.uuid({ message: 'must be a bill invoice id' }) }).strict();
const Page = { offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(20) };
const ListQuery = z.object(Page).strict();
const OperatorQuery = z.object({ ...Page, partner_id: IdSchema.optional(), status: z.enum(['requested', 'issued']).optional() }).strict();
const IssueBody = z
  .object({
    invoice_number: z.string().trim().regex(/^[0-9A-Za-z-]{1,64}$/, 'must be the invoice number'),
    invoice_code: z.string().trim().regex(/^[0-9A-Za-z-]{1,64}$/, 'must be the invoice code').optional(),
  })
  .strict();

const BillInvoiceFields = {
  bill_invoice_id: ApiUuid,
  request_id: z.string().describe('The caller\'s request id: requesting twice with it is one request'),
  amount: ApiAmount,
  currency: ApiCurrency,
  invoice_information_id: ApiUuid,
  invoice_information: InvoiceInformationDetails.describe('The invoice information the invoice follows, as it was when requested'),
  status: z.enum(['requested', 'issued']),
  requested_at: ApiTimestamp,
  invoice_number: z.string().nullable().describe('Set once issued'),
  invoice_code: z.string().nullable(),
  issued_at: ApiTimestamp.nullable(),
};
const BillInvoiceResponse = z.object(BillInvoiceFields).meta({ id: 'InvoiceBillInvoice' });
const OperatorBillInvoice = z.object({ partner_id: z.string(), ...BillInvoiceFields });
const E = BillInvoiceErrors;

export const billInvoiceView = (b: BillInvoice) => ({
  bill_invoice_id: b.id,
  request_id: b.requestId,
  amount: amountText(b.amountMinor, b.currency),
  currency: b.currency,
  invoice_information_id: b.invoiceInformationId,
  invoice_information: b.information,
  status: b.status,
  requested_at: b.requestedAt.toISOString(),
  invoice_number: b.invoiceNumber,
  invoice_code: b.invoiceCode,
  issued_at: b.issuedAt?.toISOString() ?? null,
});

/** Invoices for what the partner paid on its bills (the platform invoices the partner). */
@Controller('v2/invoices/bill-invoices')
@RequirePermission('invoices')
export class BillInvoicesController {
  constructor(private readonly bills: BillInvoicesService) {}

  /** Paid, already invoiced, and invoiceable (paid − invoiced) in a currency. */
  @Get('invoiceable-amount')
  @ApiRoute({
    summary: 'What the partner paid, already invoiced, and may still invoice in a currency',
    response: z.object({ currency: ApiCurrency, paid_amount: ApiAmount, invoiced_amount: ApiAmount, invoiceable_amount: ApiAmount.describe('paid − invoiced, never below zero') }),
  })
  async invoiceable(@ValidQuery(BalanceQuery) { currency }: z.infer<typeof BalanceQuery>, @CurrentPrincipal() principal: Principal) {
    const b = await this.bills.balance(scopeOf(principal), currency);
    return { currency, paid_amount: b.paid.toString(), invoiced_amount: b.invoiced.toString(), invoiceable_amount: b.invoiceable.toString() };
  }

  @Post()
  @HttpCode(201)
  @ApiRoute({
    summary: 'Requests an invoice of what the partner paid (all that is invoiceable when no amount is named); idempotent by request_id',
    response: z.object({ ...BillInvoiceFields, replayed: z.boolean().describe('true when this request_id had already been requested: the first request, nothing invoiced again') }),
    errors: [
      { status: 409, code: E.RequestIdReused, when: 'request_id was used for another request (another currency or amount)' },
      { status: 409, code: E.NoInvoiceInformation, when: 'the account holds no valid invoice information' },
      { status: 400, code: E.ChooseInvoiceInformation, when: 'the account holds several valid invoice information records (from before 2020-08-01) and invoice_information_id names none' },
      { status: 409, code: E.ExceedsInvoiceable, when: 'the amount is more than what was paid and not yet invoiced, or nothing is left to invoice' },
    ],
  })
  async request(@ValidBody(RequestBody) b: z.infer<typeof RequestBody>, @CurrentPrincipal() principal: Principal) {
    let amount = null;
    if (b.amount !== undefined) {
      const m = moneyOf(b.amount, b.currency);
      if (typeof m === 'string') throw new BadParameterError(`amount: ${m}`);
      amount = m;
    }
    const { invoice, created } = await this.bills.request(scopeOf(principal), { requestId: b.request_id, currency: b.currency, amount, invoiceInformationId: b.invoice_information_id ?? null });
    return { ...billInvoiceView(invoice), replayed: !created };
  }

  @Get()
  @ApiRoute({ summary: 'The partner\'s bill invoices, newest first', response: z.object({ total_count: ApiTotalCount, bill_invoices: z.array(BillInvoiceResponse) }) })
  async list(@ValidQuery(ListQuery) page: z.infer<typeof ListQuery>, @CurrentPrincipal() principal: Principal) {
    const [rows, total] = await this.bills.list(scopeOf(principal), page);
    return { total_count: total, bill_invoices: rows.map(billInvoiceView) };
  }

  @Get(':bill_invoice_id')
  @ApiRoute({ summary: 'One bill invoice', response: BillInvoiceResponse })
  async get(@ValidParams(Params) { bill_invoice_id }: z.infer<typeof Params>, @CurrentPrincipal() principal: Principal) {
    return billInvoiceView(await this.bills.get(scopeOf(principal), bill_invoice_id));
  }
}

@Controller('operator/invoices/bill-invoices')
@RequireOperator()
export class OperatorBillInvoicesController {
  constructor(private readonly bills: BillInvoicesService) {}

  @Get()
  @ApiRoute({ summary: 'Bill invoices of every partner (or one), oldest request first', response: z.object({ total_count: ApiTotalCount, bill_invoices: z.array(OperatorBillInvoice) }) })
  async list(@ValidQuery(OperatorQuery) q: z.infer<typeof OperatorQuery>) {
    const [rows, total] = await this.bills.operatorList({ ...q, partnerId: q.partner_id });
    return { total_count: total, bill_invoices: rows.map((b) => ({ partner_id: b.partnerId, ...billInvoiceView(b) })) };
  }

  @Post(':bill_invoice_id/issue')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Records the invoice the platform issued for a request (publishes settle.invoice.bill-invoice-issued.v1, notifies the partner)',
    response: OperatorBillInvoice,
    errors: [{ status: 409, code: ErrorCodes.Conflict, when: 'the bill invoice is already issued' }],
  })
  async issue(@ValidParams(Params) { bill_invoice_id }: z.infer<typeof Params>, @ValidBody(IssueBody) b: z.infer<typeof IssueBody>, @CurrentPrincipal() principal: Principal | undefined) {
    const invoice = await this.bills.issue(bill_invoice_id, { invoiceNumber: b.invoice_number, invoiceCode: b.invoice_code ?? null }, callerOf(principal));
    return { partner_id: invoice.partnerId, ...billInvoiceView(invoice) };
  }
}
