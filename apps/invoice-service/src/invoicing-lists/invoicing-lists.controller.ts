import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { BadParameterError, IdSchema } from '@settle/contracts';
import { Money } from '@settle/money';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { AmountInput, amountText, moneyOf } from '../common/amounts';
import { InvoiceSubmission } from './invoice-submission.entity';
import { InvoicingList } from './invoicing-list.entity';
import { InvoicingListsService, RecordedInvoice } from './invoicing-lists.service';

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
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseInput(ListQuery, query);
    const [rows, total] = await this.lists.list(scopeOf(principal), q);
    return { total_count: total, invoicing_lists: rows.map((l) => invoicingListView(l)) };
  }

  @Get(':list_id')
  async get(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { list_id } = parseInput(Params, params);
    const { list, submissions } = await this.lists.get(scopeOf(principal), list_id);
    return invoicingListView(list, submissions);
  }

  /** Records the invoice the partner issued (number, code, date, amounts, tax rate, courier tracking number). */
  @Post(':list_id/invoices')
  @HttpCode(201)
  async submit(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { list_id } = parseInput(Params, params);
    const input = parseInput(SubmitBody, body);
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
  async list(@Query() query: unknown) {
    const q = parseInput(OperatorQuery, query);
    const [rows, total] = await this.lists.operatorList({ ...q, partnerId: q.partner_id });
    return { total_count: total, invoicing_lists: rows.map((l) => ({ partner_id: l.partnerId, ...invoicingListView(l) })) };
  }

  @Get(':list_id')
  async get(@Param() params: unknown) {
    const { list_id } = parseInput(Params, params);
    const { list, submissions } = await this.lists.operatorGet(list_id);
    return { partner_id: list.partnerId, ...invoicingListView(list, submissions) };
  }

  @Post(':list_id/approve')
  @HttpCode(200)
  async approve(@Param() params: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { list_id } = parseInput(Params, params);
    const { list, submissions } = await this.lists.approve(list_id, callerOf(principal));
    return { partner_id: list.partnerId, ...invoicingListView(list, submissions) };
  }

  @Post(':list_id/reject')
  @HttpCode(200)
  async reject(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const { list_id } = parseInput(Params, params);
    const { reason } = parseInput(RejectBody, body);
    const { list, submissions } = await this.lists.reject(list_id, reason, callerOf(principal));
    return { partner_id: list.partnerId, ...invoicingListView(list, submissions) };
  }
}
