import { Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { AmountSchema, ApiAmount, ApiCurrency, ApiTimestamp, CurrencySchema, IdSchema } from '@settle/contracts';
import { ApiRoute, ValidBody, ValidParams } from '@settle/platform';
import { z } from 'zod';
import { Customer, VoucherKinds } from './customer.entity';
import { CustomersService } from './customers.service';

export const DomainNameSchema = z
  .string()
  .min(5)
  .max(32)
  .regex(/^[a-zA-Z_-][a-zA-Z0-9_-]*$/, 'must be 5-32 letters, digits, "_" or "-", not starting with a digit')
  .refine((v) => !/^(op_|shadow_)/.test(v), 'must not start with "op_" or "shadow_"');

const RegisterBody = z
  .object({
    customer_id: IdSchema.optional(),
    domain_name: DomainNameSchema,
    name: z.string().min(1).max(128).optional().nullable(),
    mobile_phone: z.string().regex(/^\+?\d{5,20}$/, 'must be a phone number').optional().nullable(),
    email: z.email().optional().nullable(),
  })
  .strict();

const StandingBody = z
  .object({
    unclosed_resources: z.number().int().min(0),
    has_arrears: z.boolean(),
    cash_balance: AmountSchema,
    has_uninvoiced_amount: z.boolean(),
    postpaid: z.boolean(),
    special_contract: z.boolean(),
  })
  .strict();

const VoucherBody = z.object({ kind: z.enum(VoucherKinds), face_value: AmountSchema, currency: CurrencySchema }).strict();
const CustomerParams = z.object({ customer_id: IdSchema }).strict();

/** A customer account as the operator sees it: unmasked, with the standing the association rules read. */
const OperatorCustomerResponse = z
  .object({
    customer_id: z.string(),
    domain_name: z.string().describe('The account name'),
    name: z.string().nullable(),
    mobile_phone: z.string().nullable(),
    email: z.string().nullable(),
    standing: z
      .object({
        unclosed_resources: z.number().int(),
        has_arrears: z.boolean(),
        cash_balance: ApiAmount,
        has_uninvoiced_amount: z.boolean(),
        postpaid: z.boolean(),
        special_contract: z.boolean(),
      })
      .describe('What the account system reports; a customer joins a partner only with nothing open, no arrears and a zero balance'),
  })
  .meta({ id: 'CustomerOperatorView' });
const VoucherStatus = z.enum(['unused', 'used', 'void']).describe('Unused vouchers become void when the customer joins a partner');
const VoucherResponse = z.object({ voucher_id: z.string(), kind: z.enum(VoucherKinds), face_value: ApiAmount, currency: ApiCurrency, status: VoucherStatus });
const VouchersResponse = z.object({
  customer_id: z.string(),
  vouchers: z.array(z.object({ voucher_id: z.string(), kind: z.enum(VoucherKinds), face_value: ApiAmount, currency: ApiCurrency, status: VoucherStatus, voided_at: ApiTimestamp.nullable() })),
});
const AuditResponse = z.object({
  customer_id: z.string(),
  records: z.array(
    z.object({
      partner_id: z.string(),
      access_key: z.string().describe('The key that signed the request'),
      member_id: z.string().nullable(),
      action: z.enum(['reveal']),
      field: z.enum(['mobile', 'email', 'name']).describe('The personal field revealed'),
      request_id: z.string(),
      at: ApiTimestamp,
    }),
  ),
});
const ContactsShownResponse = z.object({
  customer_id: z.string(),
  partner_id: z.string().nullable().describe('The partner the customer is associated with now; null (and no contacts) when none'),
  contacts: z.array(z.object({ name: z.string(), mobile_phone: z.string().nullable(), email: z.string().nullable() })),
});

function operatorView(c: Customer) {
  return {
    customer_id: c.id,
    domain_name: c.domainName,
    name: c.name,
    mobile_phone: c.mobile,
    email: c.email,
    standing: {
      unclosed_resources: c.unclosedResources,
      has_arrears: c.hasArrears,
      cash_balance: c.cashBalance,
      has_uninvoiced_amount: c.hasUninvoicedAmount,
      postpaid: c.postpaid,
      special_contract: c.specialContract,
    },
  };
}

/**
 * Operator API of customer accounts: what the provider's account system tells Settle (accounts,
 * their standing, their vouchers), and the customer console's view of its partner contacts.
 */
@Controller()
@RequireOperator()
export class OperatorCustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post('operator/customers')
  @HttpCode(201)
  @ApiRoute({
    summary: 'Registers a customer account (as the account system reports it)',
    response: OperatorCustomerResponse,
    errors: [{ status: 409, code: 'CBC.0102', when: 'the account name (domain_name) is taken, or customer_id already exists' }],
  })
  async register(@ValidBody(RegisterBody) input: z.infer<typeof RegisterBody>) {
    const customer = await this.customers.register({ id: input.customer_id, domainName: input.domain_name, name: input.name, mobile: input.mobile_phone, email: input.email });
    return operatorView(customer);
  }

  @Get('operator/customers/:customer_id')
  @ApiRoute({ summary: 'A customer account, unmasked, with its standing', response: OperatorCustomerResponse })
  async get(@ValidParams(CustomerParams) { customer_id }: z.infer<typeof CustomerParams>) {
    return operatorView(await this.customers.get(customer_id));
  }

  @Put('operator/customers/:customer_id/standing')
  @ApiRoute({ summary: 'Records a customer\'s standing (what the association rules read)', response: OperatorCustomerResponse })
  async standing(@ValidParams(CustomerParams) { customer_id }: z.infer<typeof CustomerParams>, @ValidBody(StandingBody) s: z.infer<typeof StandingBody>) {
    const customer = await this.customers.setStanding(customer_id, {
      unclosedResources: s.unclosed_resources,
      hasArrears: s.has_arrears,
      cashBalance: s.cash_balance,
      hasUninvoicedAmount: s.has_uninvoiced_amount,
      postpaid: s.postpaid,
      specialContract: s.special_contract,
    });
    return operatorView(customer);
  }

  @Post('operator/customers/:customer_id/vouchers')
  @HttpCode(201)
  @ApiRoute({ summary: 'Records a voucher, discount or stored-value card the customer holds', response: VoucherResponse })
  async addVoucher(@ValidParams(CustomerParams) { customer_id }: z.infer<typeof CustomerParams>, @ValidBody(VoucherBody) v: z.infer<typeof VoucherBody>) {
    const voucher = await this.customers.addVoucher(customer_id, { kind: v.kind, faceValue: v.face_value, currency: v.currency });
    return { voucher_id: voucher.id, kind: voucher.kind, face_value: voucher.faceValue, currency: voucher.currency, status: voucher.status };
  }

  @Get('operator/customers/:customer_id/vouchers')
  @ApiRoute({ summary: 'The customer\'s vouchers, discounts and stored-value cards', response: VouchersResponse })
  async vouchers(@ValidParams(CustomerParams) { customer_id }: z.infer<typeof CustomerParams>) {
    const vouchers = await this.customers.vouchers(customer_id);
    return {
      customer_id,
      vouchers: vouchers.map((v) => ({ voucher_id: v.id, kind: v.kind, face_value: v.faceValue, currency: v.currency, status: v.status, voided_at: v.voidedAt?.toISOString() ?? null })),
    };
  }

  @Get('operator/customers/:customer_id/audit-records')
  @ApiRoute({ summary: 'Who revealed the customer\'s personal data, what and when (every partner)', response: AuditResponse })
  async audit(@ValidParams(CustomerParams) { customer_id }: z.infer<typeof CustomerParams>) {
    const records = await this.customers.auditRecords(customer_id);
    return {
      customer_id,
      records: records.map((r) => ({ partner_id: r.partnerId, access_key: r.accessKey, member_id: r.memberId, action: r.action, field: r.field, request_id: r.requestId, at: r.at.toISOString() })),
    };
  }

  /** The customer console: the partner contacts shown to the signed-in customer. */
  @Get('operator/customer-console/customers/:customer_id/contacts')
  @ApiRoute({ summary: 'The contacts of the customer\'s current partner, as its console shows them', response: ContactsShownResponse })
  async contactsForCustomer(@ValidParams(CustomerParams) { customer_id }: z.infer<typeof CustomerParams>) {
    const { partnerId, contacts } = await this.customers.contactsShownToCustomer(customer_id);
    return { customer_id, partner_id: partnerId, contacts: contacts.map((c) => ({ name: c.name, mobile_phone: c.mobile, email: c.email })) };
  }
}
