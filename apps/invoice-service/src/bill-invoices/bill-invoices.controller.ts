import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { BadParameterError, IdSchema } from '@settle/contracts';
import { isCurrency } from '@settle/money';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { AmountInput, amountText, moneyOf } from '../common/amounts';
import { BillInvoice } from './bill-invoice.entity';
import { BillInvoicesService } from './bill-invoices.service';

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
  async invoiceable(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const { currency } = parseInput(BalanceQuery, query);
    const b = await this.bills.balance(scopeOf(principal), currency);
    return { currency, paid_amount: b.paid.toString(), invoiced_amount: b.invoiced.toString(), invoiceable_amount: b.invoiceable.toString() };
  }

  @Post()
  @HttpCode(201)
  async request(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseInput(RequestBody, body);
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
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const page = parseInput(ListQuery, query);
    const [rows, total] = await this.bills.list(scopeOf(principal), page);
    return { total_count: total, bill_invoices: rows.map(billInvoiceView) };
  }

  @Get(':bill_invoice_id')
  async get(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { bill_invoice_id } = parseInput(Params, params);
    return billInvoiceView(await this.bills.get(scopeOf(principal), bill_invoice_id));
  }
}

@Controller('operator/invoices/bill-invoices')
@RequireOperator()
export class OperatorBillInvoicesController {
  constructor(private readonly bills: BillInvoicesService) {}

  @Get()
  async list(@Query() query: unknown) {
    const q = parseInput(OperatorQuery, query);
    const [rows, total] = await this.bills.operatorList({ ...q, partnerId: q.partner_id });
    return { total_count: total, bill_invoices: rows.map((b) => ({ partner_id: b.partnerId, ...billInvoiceView(b) })) };
  }

  @Post(':bill_invoice_id/issue')
  @HttpCode(200)
  async issue(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { bill_invoice_id } = parseInput(Params, params);
    const b = parseInput(IssueBody, body);
    const invoice = await this.bills.issue(bill_invoice_id, { invoiceNumber: b.invoice_number, invoiceCode: b.invoice_code ?? null }, callerOf(principal));
    return { partner_id: invoice.partnerId, ...billInvoiceView(invoice) };
  }
}
