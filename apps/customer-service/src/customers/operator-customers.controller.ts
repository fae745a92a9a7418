import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { AmountSchema, CurrencySchema, IdSchema } from '@settle/contracts';
import { parseInput } from '@settle/platform';
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
  async register(@Body() body: unknown) {
    const input = parseInput(RegisterBody, body);
    const customer = await this.customers.register({ id: input.customer_id, domainName: input.domain_name, name: input.name, mobile: input.mobile_phone, email: input.email });
    return operatorView(customer);
  }

  @Get('operator/customers/:customer_id')
  async get(@Param('customer_id') customerId: string) {
    return operatorView(await this.customers.get(customerId));
  }

  @Put('operator/customers/:customer_id/standing')
  async standing(@Param('customer_id') customerId: string, @Body() body: unknown) {
    const s = parseInput(StandingBody, body);
    const customer = await this.customers.setStanding(customerId, {
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
  async addVoucher(@Param('customer_id') customerId: string, @Body() body: unknown) {
    const v = parseInput(VoucherBody, body);
    const voucher = await this.customers.addVoucher(customerId, { kind: v.kind, faceValue: v.face_value, currency: v.currency });
    return { voucher_id: voucher.id, kind: voucher.kind, face_value: voucher.faceValue, currency: voucher.currency, status: voucher.status };
  }

  @Get('operator/customers/:customer_id/vouchers')
  async vouchers(@Param('customer_id') customerId: string) {
    const vouchers = await this.customers.vouchers(customerId);
    return {
      customer_id: customerId,
      vouchers: vouchers.map((v) => ({ voucher_id: v.id, kind: v.kind, face_value: v.faceValue, currency: v.currency, status: v.status, voided_at: v.voidedAt?.toISOString() ?? null })),
    };
  }

  @Get('operator/customers/:customer_id/audit-records')
  async audit(@Param('customer_id') customerId: string) {
    const records = await this.customers.auditRecords(customerId);
    return {
      customer_id: customerId,
      records: records.map((r) => ({ partner_id: r.partnerId, access_key: r.accessKey, member_id: r.memberId, action: r.action, field: r.field, request_id: r.requestId, at: r.at.toISOString() })),
    };
  }

  /** The customer console: the partner contacts shown to the signed-in customer. */
  @Get('operator/customer-console/customers/:customer_id/contacts')
  async contactsForCustomer(@Param('customer_id') customerId: string) {
    const { partnerId, contacts } = await this.customers.contactsShownToCustomer(customerId);
    return { customer_id: customerId, partner_id: partnerId, contacts: contacts.map((c) => ({ name: c.name, mobile_phone: c.mobile, email: c.email })) };
  }
}
