import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { ApiAmount, ApiCurrency, ApiDate, ApiTimestamp, ApiTotalCount, ApiUuid, BadParameterError, IdSchema, PayoutMethodSchema, TaxpayerTypeSchema } from '@settle/contracts';
import { Money } from '@settle/money';
import { ApiErrorDeclaration, ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { AmountInput, amountText, moneyOf } from '../common/amounts';
import { InvoiceSubmission } from './invoice-submission.entity';
import { InvoicingList } from './invoicing-list.entity';
import { InvoicingListsService, RecordedInvoice } from './invoicing-lists.service';
import { InvoicingListErrors } from './invoice-review';

const Params = z.object({ list_id: z.uuid({ message: 'must be an invoicing list id' }) }).strict();
const Page = {
  status: z.enum(['awaiting-invoice', 'submitted', 'rejected', 'approved']).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(10),
};
const ListQuery = z.object(Page).strict();
const OperatorQuery = z.object({ ...Page, partner_id: IdSchema.optional() }).strict();
const SubmitBody = z
  .object({
    invoice_number: z.string().trim().regex(/^[0-9A-Za-z-]{1,64}$/, 'must be the invoice number (letters, digits, -)'),
    invoice_code: z.string().trim().regex(/^[0-9A-Za-z-]{1,64}$/, 'must be the invoice code (letters, digits, -)').optional(),
    invoice_date: z.iso.date({ message: 'must be a date such as 2026-11-30' }),
    net_amount: AmountInput,
    tax_amount: AmountInput,
    gross_amount: AmountInput,
    tax_rate: z.string().regex(/^0(\.\d{1,6})?$/, 'must be a decimal fraction such as "0.06"'),
    tracking_number: z.string().trim().regex(/^[0-9A-Za-z-]{4,64}$/, 'must be the courier tracking number'),
  })
  .strict();
const RejectBody = z.object({ reason: z.string().trim().min(1, 'must say why').max(1000) }).strict();

const TaxRate = z.string().describe('A VAT rate as a decimal fraction, e.g. "0.06"');
const Mismatches = z.array(
  z.object({ field: z.enum(['net_amount', 'tax_amount', 'gross_amount', 'tax_rate']), expected: z.string().describe('The list\'s value'), actual: z.string().describe('The invoice\'s value') }),
);
/** One invoice the partner recorded against a list (its n-th submission) and its review. */
const SubmissionResponse = z.object({
  submission: z.number().int().min(1).describe('1 for the first invoice recorded against the list, 2 after a rejection, …'),
  invoice_number: z.string(),
  invoice_code: z.string().nullable(),
  invoice_date: ApiDate,
  net_amount: ApiAmount,
  tax_amount: ApiAmount,
  gross_amount: ApiAmount,
  tax_rate: TaxRate,
  tracking_number: z.string().describe('The courier\'s tracking number of the mailed paper invoice'),
  status: z.enum(['pending', 'approved', 'rejected']),
  submitted_at: ApiTimestamp,
  reviewed_at: ApiTimestamp.nullable(),
  reject_reason: z.string().nullable(),
  mismatches: Mismatches.nullable().describe('What differed from the list at review (empty when it matched; null before the review)'),
});
const InvoicingListFields = {
  invoicing_list_id: ApiUuid,
  application_id: ApiUuid.describe('The incentive payout application the list was opened from'),
  notice_ids: z.array(z.string()).describe('The incentive notices the payout pays'),
  period: z.string().describe('The settlement period the incentive was earned in, e.g. "2026-10" or "2026-Q3"'),
  method: PayoutMethodSchema.describe('How the payout is paid (vouchers need no invoice, so open no list)'),
  currency: ApiCurrency,
  amount: ApiAmount.describe('The payout amount (the notice total)'),
  net_amount: ApiAmount,
  tax_amount: ApiAmount,
  gross_amount: ApiAmount,
  tax_rate: TaxRate.describe('The VAT rate the invoice must carry, as a decimal fraction, e.g. "0.06"'),
  taxpayer_type: TaxpayerTypeSchema,
  billing_entity: z.object({ name: z.string(), taxpayer_id: z.string(), bank: z.string(), account: z.string(), address: z.string(), phone: z.string() }).describe('The party the partner invoices, as when the list was opened'),
  mailing_address: z.object({ recipient: z.string(), phone: z.string(), address: z.string() }).describe('Where the paper invoice is mailed'),
  status: z.enum(['awaiting-invoice', 'submitted', 'rejected', 'approved']),
  submissions: z.number().int().min(0).describe('How many invoices the partner recorded against the list so far'),
  applied_at: ApiTimestamp,
  opened_at: ApiTimestamp,
  approved_at: ApiTimestamp.nullable(),
};
/** A list in a page (without its invoices). */
const InvoicingListSummary = z.object(InvoicingListFields);
/** One list with every invoice recorded against it. */
const InvoicingListResponse = z.object({ ...InvoicingListFields, invoices: z.array(SubmissionResponse) }).meta({ id: 'InvoicingList' });
const OperatorInvoicingListResponse = z.object({ partner_id: z.string(), ...InvoicingListFields, invoices: z.array(SubmissionResponse) }).meta({ id: 'InvoicingListOperatorView' });

const E = InvoicingListErrors;
const CertificationIncomplete: ApiErrorDeclaration = { status: 403, code: E.CertificationIncomplete, when: 'the partner\'s business information certification is not complete (lists are not visible yet)' };
const NothingToReview: ApiErrorDeclaration = { status: 409, code: E.NothingToReview, when: 'no invoice is under review on the list (nothing submitted, or already reviewed)' };

function submissionView(s: InvoiceSubmission, currency: string) {
  return {
    submission: s.submission,
    invoice_number: s.invoiceNumber,
    invoice_code: s.invoiceCode,
    invoice_date: s.invoiceDate,
    net_amount: amountText(s.netMinor, currency),
    tax_amount: amountText(s.taxMinor, currency),
    gross_amount: amountText(s.grossMinor, currency),
    tax_rate: s.taxRate,
    tracking_number: s.trackingNumber,
    status: s.status,
    submitted_at: s.submittedAt.toISOString(),
    reviewed_at: s.reviewedAt?.toISOString() ?? null,
    reject_reason: s.rejectReason,
    mismatches: s.mismatches,
  };
}

export function invoicingListView(l: InvoicingList, submissions?: InvoiceSubmission[]) {
  return {
    invoicing_list_id: l.id,
    application_id: l.applicationId,
    notice_ids: l.noticeIds,
    period: l.period,
    method: l.method,
    currency: l.currency,
    amount: amountText(l.amountMinor, l.currency),
    net_amount: amountText(l.netMinor, l.currency),
    tax_amount: amountText(l.taxMinor, l.currency),
    gross_amount: amountText(l.grossMinor, l.currency),
    tax_rate: l.taxRate,
    taxpayer_type: l.taxpayerType,
    billing_entity: l.billingEntity,
    mailing_address: l.mailingAddress,
    status: l.status,
    submissions: l.submissions,
    applied_at: l.appliedAt.toISOString(),
    opened_at: l.openedAt.toISOString(),
    approved_at: l.approvedAt?.toISOString() ?? null,
    ...(submissions ? { invoices: submissions.map((s) => submissionView(s, l.currency)) } : {}),
  };
}

function recordedInvoice(body: z.infer<typeof SubmitBody>, currency: string): RecordedInvoice {
  const money = (field: 'net_amount' | 'tax_amount' | 'gross_amount'): Money => {
    const m = moneyOf(body[field], currency);
    if (typeof m === 'string') throw new BadParameterError(`${field}: ${m}`);
    return m;
  };
  return {
    invoiceNumber: body.invoice_number,
    invoiceCode: body.invoice_code ?? null,
    invoiceDate: body.invoice_date,
    net: money('net_amount'),
    tax: money('tax_amount'),
    gross: money('gross_amount'),
    taxRate: body.tax_rate,
    trackingNumber: body.tracking_number,
  };
}

/** The partner's invoicing lists (开票清单) for its incentive payouts, and the invoices it records against them. */
@Controller('v2/invoices/invoicing-lists')
@RequirePermission('invoices')
export class InvoicingListsController {
  constructor(private readonly lists: InvoicingListsService) {}

  @Get()
  @ApiRoute({ summary: 'The partner\'s invoicing lists (开票清单), newest first', response: z.object({ total_count: ApiTotalCount, invoicing_lists: z.array(InvoicingListSummary) }), errors: [CertificationIncomplete] })
  async list(@ValidQuery(ListQuery) q: z.infer<typeof ListQuery>, @CurrentPrincipal() principal: Principal) {
    const [rows, total] = await this.lists.list(scopeOf(principal), q);
    return { total_count: total, invoicing_lists: rows.map((l) => invoicingListView(l)) };
  }

  @Get(':list_id')
  @ApiRoute({ summary: 'One invoicing list with the invoices recorded against it', response: InvoicingListResponse, errors: [CertificationIncomplete] })
  async get(@ValidParams(Params) { list_id }: z.infer<typeof Params>, @CurrentPrincipal() principal: Principal) {
    const { list, submissions } = await this.lists.get(scopeOf(principal), list_id);
    return invoicingListView(list, submissions);
  }

  /** Records the invoice the partner issued (number, code, date, amounts, tax rate, courier tracking number). */
  @Post(':list_id/invoices')
  @HttpCode(201)
  @ApiRoute({
    summary: 'Records the invoice the partner issued against a list, for review',
    response: InvoicingListResponse,
    errors: [
      CertificationIncomplete,
      { status: 409, code: E.NotAwaitingInvoice, when: 'the list takes no invoice now (one is under review, or it was approved)' },
      { status: 400, code: E.AmountsDoNotAddUp, when: 'net_amount + tax_amount is not gross_amount' },
    ],
  })
  async submit(@ValidParams(Params) { list_id }: z.infer<typeof Params>, @ValidBody(SubmitBody) input: z.infer<typeof SubmitBody>, @CurrentPrincipal() principal: Principal) {
    const scope = scopeOf(principal);
    const current = await this.lists.get(scope, list_id);
    const { list, submissions } = await this.lists.submit(scope, list_id, recordedInvoice(input, current.list.currency));
    return invoicingListView(list, submissions);
  }
}

/** The operator's review of the invoices partners record: approve (amounts and tax match) or reject with a reason. */
@Controller('operator/invoices/invoicing-lists')
@RequireOperator()
export class OperatorInvoicingListsController {
  constructor(private readonly lists: InvoicingListsService) {}

  @Get()
  @ApiRoute({ summary: 'Invoicing lists of every partner (or one), newest first', response: z.object({ total_count: ApiTotalCount, invoicing_lists: z.array(z.object({ partner_id: z.string(), ...InvoicingListFields })) }) })
  async list(@ValidQuery(OperatorQuery) q: z.infer<typeof OperatorQuery>) {
    const [rows, total] = await this.lists.operatorList({ ...q, partnerId: q.partner_id });
    return { total_count: total, invoicing_lists: rows.map((l) => ({ partner_id: l.partnerId, ...invoicingListView(l) })) };
  }

  @Get(':list_id')
  @ApiRoute({ summary: 'One invoicing list with the invoices recorded against it', response: OperatorInvoicingListResponse })
  async get(@ValidParams(Params) { list_id }: z.infer<typeof Params>) {
    const { list, submissions } = await this.lists.operatorGet(list_id);
    return { partner_id: list.partnerId, ...invoicingListView(list, submissions) };
  }

  @Post(':list_id/approve')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Approves the invoice under review (its amounts and tax rate match the list): publishes settle.invoice.approved.v1 once',
    response: OperatorInvoicingListResponse,
    errors: [NothingToReview, { status: 409, code: E.InvoiceDoesNotMatch, when: 'the invoice\'s amounts or tax rate differ from the list (the error carries mismatches[]; reject it with the reason)' }],
  })
  async approve(@ValidParams(Params) { list_id }: z.infer<typeof Params>, @CurrentPrincipal() principal: Principal | undefined) {
    const { list, submissions } = await this.lists.approve(list_id, callerOf(principal));
    return { partner_id: list.partnerId, ...invoicingListView(list, submissions) };
  }

  @Post(':list_id/reject')
  @HttpCode(200)
  @ApiRoute({ summary: 'Rejects the invoice under review with a reason (the partner may record another)', response: OperatorInvoicingListResponse, errors: [NothingToReview] })
  async reject(@ValidParams(Params) { list_id }: z.infer<typeof Params>, @ValidBody(RejectBody) { reason }: z.infer<typeof RejectBody>, @CurrentPrincipal() principal: Principal | undefined) {
    const { list, submissions } = await this.lists.reject(list_id, reason, callerOf(principal));
    return { partner_id: list.partnerId, ...invoicingListView(list, submissions) };
  }
}
