import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, scopeOf } from '@settle/auth';
import { IdSchema } from '@settle/contracts';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { InvoiceInformationAudit } from './invoice-information-audit.entity';
import { InvoiceInformation } from './invoice-information.entity';
import { InvoiceInformationService } from './invoice-information.service';

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().min(1).max(max).nullable().optional();

const Template = {
  taxpayer_id: z.string().trim().regex(/^[0-9A-Z]{15,20}$/, 'must be a taxpayer identification number: 15 to 20 digits or capital letters'),
  invoice_type: z.enum(['vat-general', 'vat-special']),
  bank_name: optionalText(100),
  bank_account: z.string().trim().regex(/^[0-9 -]{6,40}$/, 'must be a bank account number').nullable().optional(),
  registered_address: optionalText(200),
  registered_phone: z.string().trim().regex(/^[0-9+() -]{5,30}$/, 'must be a phone number').nullable().optional(),
  mailing_recipient: text(100),
  mailing_phone: z.string().trim().regex(/^[0-9+() -]{5,30}$/, 'must be a phone number'),
  mailing_address: text(300),
};
const CreateBody = z.object({ title: text(200), ...Template }).strict();
const UpdateBody = z.object({ title: text(200), ...Template }).partial().strict();
const TitleBody = z.object({ title: text(200), reason: z.string().trim().max(500).optional() }).strict();
const Params = z.object({ invoice_information_id: z.uuid({ message: 'must be an invoice information id' }) }).strict();
const OperatorQuery = z.object({ partner_id: IdSchema }).strict();

export function invoiceInformationView(i: InvoiceInformation) {
  return {
    invoice_information_id: i.id,
    title: i.title,
    taxpayer_id: i.taxpayerId,
    invoice_type: i.invoiceType,
    bank_name: i.bankName,
    bank_account: i.bankAccount,
    registered_address: i.registeredAddress,
    registered_phone: i.registeredPhone,
    mailing_recipient: i.mailingRecipient,
    mailing_phone: i.mailingPhone,
    mailing_address: i.mailingAddress,
    status: i.status,
    created_at: i.createdAt.toISOString(),
    updated_at: i.updatedAt.toISOString(),
  };
}

const auditView = (a: InvoiceInformationAudit) => ({ action: a.action, before: a.before, after: a.after, reason: a.reason, by: a.by, at: a.at.toISOString() });

type Fields = Partial<z.infer<typeof CreateBody>>;
const fieldsOf = (b: Fields) =>
  Object.fromEntries(
    Object.entries({
      title: b.title,
      taxpayerId: b.taxpayer_id,
      invoiceType: b.invoice_type,
      bankName: b.bank_name,
      bankAccount: b.bank_account,
      registeredAddress: b.registered_address,
      registeredPhone: b.registered_phone,
      mailingRecipient: b.mailing_recipient,
      mailingPhone: b.mailing_phone,
      mailingAddress: b.mailing_address,
    }).filter(([, v]) => v !== undefined),
  );

/** The account's invoice information (发票信息), as its finance staff manage it. */
@Controller('v2/invoices/invoice-information')
@RequirePermission('invoices')
export class InvoiceInformationController {
  constructor(private readonly info: InvoiceInformationService) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal) {
    const rows = await this.info.list(scopeOf(principal));
    return { total_count: rows.length, valid_count: rows.filter((r) => r.status === 'valid').length, may_add: this.info.mayAdd(rows), invoice_information: rows.map(invoiceInformationView) };
  }

  @Post()
  @HttpCode(201)
  async add(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseInput(CreateBody, body);
    const input = { bankName: null, bankAccount: null, registeredAddress: null, registeredPhone: null, ...fieldsOf(b) } as Parameters<InvoiceInformationService['add']>[1];
    return invoiceInformationView(await this.info.add(scopeOf(principal), input));
  }

  @Get(':invoice_information_id')
  async get(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { invoice_information_id } = parseInput(Params, params);
    return invoiceInformationView(await this.info.get(scopeOf(principal), invoice_information_id));
  }

  @Put(':invoice_information_id')
  async update(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { invoice_information_id } = parseInput(Params, params);
    const b = parseInput(UpdateBody, body);
    return invoiceInformationView(await this.info.update(scopeOf(principal), invoice_information_id, fieldsOf(b)));
  }

  /** "Manage invoice information": the title change, audited with its reason. */
  @Put(':invoice_information_id/title')
  async changeTitle(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { invoice_information_id } = parseInput(Params, params);
    const b = parseInput(TitleBody, body);
    return invoiceInformationView(await this.info.changeTitle(scopeOf(principal), invoice_information_id, b.title, b.reason ?? null));
  }

  @Delete(':invoice_information_id')
  async void(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { invoice_information_id } = parseInput(Params, params);
    return invoiceInformationView(await this.info.void(scopeOf(principal), invoice_information_id));
  }

  @Get(':invoice_information_id/audit')
  async audit(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { invoice_information_id } = parseInput(Params, params);
    const rows = await this.info.auditOf(scopeOf(principal), invoice_information_id);
    return { total_count: rows.length, records: rows.map(auditView) };
  }
}

@Controller('operator/invoices/invoice-information')
@RequireOperator()
export class OperatorInvoiceInformationController {
  constructor(private readonly info: InvoiceInformationService) {}

  @Get()
  async list(@Query() query: unknown) {
    const { partner_id } = parseInput(OperatorQuery, query);
    const rows = await this.info.operatorList(partner_id);
    return { total_count: rows.length, invoice_information: rows.map((r) => ({ partner_id: r.partnerId, ...invoiceInformationView(r) })) };
  }
}
