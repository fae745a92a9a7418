import { Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, scopeOf } from '@settle/auth';
import { ApiErrorDeclaration, ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { ApiTimestamp, ApiTotalCount, ApiUuid, IdSchema } from '@settle/contracts';
import { z } from 'zod';
import { InvoiceInformationAudit } from './invoice-information-audit.entity';
import { InvoiceInformation } from './invoice-information.entity';
import { InvoiceInformationService } from './invoice-information.service';
import { InvoiceInformationErrors } from './invoice-information.rules';

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

/** One invoice information record as the API answers it. */
/** What an invoice is issued to and sent to: the part of an invoice information record a bill invoice keeps as it was. */
export const InvoiceInformationDetails = z.object({
  title: z.string().describe('The invoice title (发票抬头)'),
  taxpayer_id: z.string().describe('The taxpayer identification number (纳税人识别号)'),
  invoice_type: z.enum(['vat-general', 'vat-special']),
  bank_name: z.string().nullable(),
  bank_account: z.string().nullable(),
  registered_address: z.string().nullable(),
  registered_phone: z.string().nullable(),
  mailing_recipient: z.string(),
  mailing_phone: z.string(),
  mailing_address: z.string(),
});

const InvoiceInformationFields = {
  invoice_information_id: ApiUuid,
  ...InvoiceInformationDetails.shape,
  status: z.enum(['valid', 'void']),
  created_at: ApiTimestamp,
  updated_at: ApiTimestamp,
};
const InvoiceInformationResponse = z.object(InvoiceInformationFields).meta({ id: 'InvoiceInformation' });
const ListResponse = z.object({
  total_count: ApiTotalCount,
  valid_count: z.number().int().min(0).describe('How many of the records are valid'),
  may_add: z.boolean().describe('Whether the account may add one now (since 2020-08-01: only while it holds no valid one)'),
  invoice_information: z.array(InvoiceInformationResponse),
});
const AuditResponse = z.object({
  total_count: ApiTotalCount,
  records: z.array(
    z.object({
      action: z.enum(['created', 'updated', 'title-changed', 'voided']),
      before: z.record(z.string(), z.unknown()).nullable().describe('The changed fields before the change (null for a creation)'),
      after: z.record(z.string(), z.unknown()).describe('The changed fields after the change'),
      reason: z.string().nullable(),
      by: z.string().describe('Who changed it: partner:<AK>[/<member>]'),
      at: ApiTimestamp,
    }),
  ),
});
const OperatorListResponse = z.object({ total_count: ApiTotalCount, invoice_information: z.array(z.object({ partner_id: z.string(), ...InvoiceInformationFields })) });

const E = InvoiceInformationErrors;
const OneValidOnly: ApiErrorDeclaration = { status: 409, code: E.OneValidOnly, when: 'since 2020-08-01 the account may hold one valid invoice information, and it holds one' };
const SeveralKept: ApiErrorDeclaration = { status: 409, code: E.SeveralKeptNoneAdded, when: 'the account holds several valid records from before 2020-08-01: it keeps them but may add none' };
const NeedsEnterpriseDetails: ApiErrorDeclaration = { status: 400, code: E.VatSpecialNeedsEnterpriseDetails, when: 'a vat-special invoice type without the whole enterprise template (bank, account, registered address and phone)' };

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
  @ApiRoute({ summary: 'The account\'s invoice information records, and whether it may add one', response: ListResponse })
  async list(@CurrentPrincipal() principal: Principal) {
    const rows = await this.info.list(scopeOf(principal));
    return { total_count: rows.length, valid_count: rows.filter((r) => r.status === 'valid').length, may_add: this.info.mayAdd(rows), invoice_information: rows.map(invoiceInformationView) };
  }

  @Post()
  @HttpCode(201)
  @ApiRoute({ summary: 'Adds an invoice information record', response: InvoiceInformationResponse, errors: [NeedsEnterpriseDetails, OneValidOnly, SeveralKept] })
  async add(@ValidBody(CreateBody) b: z.infer<typeof CreateBody>, @CurrentPrincipal() principal: Principal) {
    const input = { bankName: null, bankAccount: null, registeredAddress: null, registeredPhone: null, ...fieldsOf(b) } as Parameters<InvoiceInformationService['add']>[1];
    return invoiceInformationView(await this.info.add(scopeOf(principal), input));
  }

  @Get(':invoice_information_id')
  @ApiRoute({ summary: 'One invoice information record', response: InvoiceInformationResponse })
  async get(@ValidParams(Params) { invoice_information_id }: z.infer<typeof Params>, @CurrentPrincipal() principal: Principal) {
    return invoiceInformationView(await this.info.get(scopeOf(principal), invoice_information_id));
  }

  @Put(':invoice_information_id')
  @ApiRoute({
    summary: 'Changes an invoice information record (every field but the title), audited',
    response: InvoiceInformationResponse,
    errors: [
      { status: 400, code: E.Voided, when: 'the record is void' },
      { status: 400, code: E.TitleOnlyThroughManage, when: 'the body changes the title (that is PUT …/{id}/title)' },
      NeedsEnterpriseDetails,
    ],
  })
  async update(@ValidParams(Params) { invoice_information_id }: z.infer<typeof Params>, @ValidBody(UpdateBody) b: z.infer<typeof UpdateBody>, @CurrentPrincipal() principal: Principal) {
    return invoiceInformationView(await this.info.update(scopeOf(principal), invoice_information_id, fieldsOf(b)));
  }

  /** "Manage invoice information": the title change, audited with its reason. */
  @Put(':invoice_information_id/title')
  @ApiRoute({
    summary: 'Changes the invoice title with a reason ("manage invoice information"), audited',
    response: InvoiceInformationResponse,
    errors: [
      { status: 409, code: E.Voided, when: 'the record is void' },
      { status: 409, code: E.TitleUnchanged, when: 'the new title is the current title' },
    ],
  })
  async changeTitle(@ValidParams(Params) { invoice_information_id }: z.infer<typeof Params>, @ValidBody(TitleBody) b: z.infer<typeof TitleBody>, @CurrentPrincipal() principal: Principal) {
    return invoiceInformationView(await this.info.changeTitle(scopeOf(principal), invoice_information_id, b.title, b.reason ?? null));
  }

  @Delete(':invoice_information_id')
  @ApiRoute({ summary: 'Voids an invoice information record (a void one is answered as it is)', response: InvoiceInformationResponse })
  async void(@ValidParams(Params) { invoice_information_id }: z.infer<typeof Params>, @CurrentPrincipal() principal: Principal) {
    return invoiceInformationView(await this.info.void(scopeOf(principal), invoice_information_id));
  }

  @Get(':invoice_information_id/audit')
  @ApiRoute({ summary: 'The changes of an invoice information record: who, when, before and after', response: AuditResponse })
  async audit(@ValidParams(Params) { invoice_information_id }: z.infer<typeof Params>, @CurrentPrincipal() principal: Principal) {
    const rows = await this.info.auditOf(scopeOf(principal), invoice_information_id);
    return { total_count: rows.length, records: rows.map(auditView) };
  }
}

@Controller('operator/invoices/invoice-information')
@RequireOperator()
export class OperatorInvoiceInformationController {
  constructor(private readonly info: InvoiceInformationService) {}

  @Get()
  @ApiRoute({ summary: 'A partner\'s invoice information records', response: OperatorListResponse })
  async list(@ValidQuery(OperatorQuery) { partner_id }: z.infer<typeof OperatorQuery>) {
    const rows = await this.info.operatorList(partner_id);
    return { total_count: rows.length, invoice_information: rows.map((r) => ({ partner_id: r.partnerId, ...invoiceInformationView(r) })) };
  }
}
