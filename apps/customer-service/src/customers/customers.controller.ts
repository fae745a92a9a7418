import { Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequirePermission, scopeOf, tenantOf } from '@settle/auth';
import { ApiTimestamp, AssociationTypeSchema, IdSchema } from '@settle/contracts';
import { ApiRoute, ValidBody, ValidParams } from '@settle/platform';
import { z } from 'zod';
import { CustomerAssociation } from '../associations/customer-association.entity';
import { Customer } from './customer.entity';
import { CustomerCreationService } from './customer-creation.service';
import { DomainNameSchema } from './operator-customers.controller';
import { CustomersService, maskedCustomer } from './customers.service';

/** Fuzzy-search terms as the public API takes them: bounded, no spaces. */
const fuzzy = z.string().max(64).regex(/^\S*$/, 'must not contain spaces').optional().nullable();
const utc = z.iso.datetime({ offset: true }).optional().nullable();

/** `POST /v2/partners/sub-customers/query`, fields and paging as the public partner API; no body reads as `{}`. */
const QueryCustomersBody = z.preprocess(
  (b) => b ?? {},
  z.object({
    account_name: fuzzy,
    customer: fuzzy,
    offset: z.number().int().min(0).max(40_000_000).default(0),
    limit: z.number().int().min(1).max(100).default(10),
    label: fuzzy,
    association_type: z.union([z.enum(['1', '2']).transform(Number), AssociationTypeSchema]).optional().nullable().or(z.literal('').transform(() => undefined)),
    associated_on_begin: utc,
    associated_on_end: utc,
    customer_id: IdSchema.optional().nullable(),
    indirect_partner_id: IdSchema.optional().nullable(),
  })
  .strict(),
);

/** `POST /v2/partners/sub-customers`, fields as the public partner API's "create customer". */
const CreateCustomerBody = z
  .object({
    xaccount_id: z.string().min(1).max(128),
    xaccount_type: z.string().min(1).max(64),
    domain_name: DomainNameSchema.optional().nullable().or(z.literal('').transform(() => null)),
    mobile_phone: z.string().regex(/^\d{11}$/, 'must be an 11-digit mobile number').optional().nullable().or(z.literal('').transform(() => null)),
    verification_code: z.string().regex(/^\d{6}$/, 'must be 6 digits').optional().nullable(),
    password: z.string().min(8).max(32).optional().nullable(),
    is_close_market_ms: z.enum(['true', 'false']).optional().nullable(),
    /** CreateCustomerV2Req's field (being retired): "1" would be consultant-sale, which Settle associates by invitation only; any other value means agency-sale, as in the public API. */
    cooperation_type: z.string().max(16).refine((v) => v !== '1', 'consultant-sale customers (1) are associated by invitation, not created').optional().nullable(),
    indirect_partner_id: IdSchema.optional().nullable(),
    include_association_result: z.boolean().optional().nullable(),
  })
  .strict();

const RevealBody = z.object({ field: z.enum(['mobile', 'email', 'name']) }).strict();
const LabelsBody = z.object({ labels: z.array(z.string().min(1).max(64).regex(/^\S+$/, 'must not contain spaces')).max(20) }).strict();
const AssignBody = z.object({ member_id: IdSchema.nullable() }).strict();
const ContactBody = z
  .object({ name: z.string().min(1).max(64), mobile: z.string().regex(/^\+?\d{5,20}$/, 'must be a phone number').optional().nullable(), email: z.email().optional().nullable() })
  .strict();

const CustomerParams = z.object({ customer_id: IdSchema }).strict();

/** The SDK's CustomerInformation (personal fields masked), plus Settle's indirect_partner_id and account_manager_id. */
const CustomerInfoShape = {
  customer_id: z.string(),
  account_name: z.string().describe('The account name (domain_name)'),
  customer: z.string().nullable().describe('The real-name verified name, masked'),
  mobile_phone: z.string().nullable().describe('Masked, e.g. 138****5678'),
  email: z.string().nullable().describe('Masked, e.g. a***@example.com'),
  associated_on: ApiTimestamp,
  association_type: z.enum(['1', '2']).describe('1 consultant-sale, 2 agency-sale (a string, as in the SDK)'),
  label: z.string().describe('The partner\'s labels on the customer, comma-separated'),
  indirect_partner_id: z.string().nullable().describe('The tier-2 reseller the customer buys through'),
  account_manager_id: z.string().nullable().describe('The salesperson (member id) managing the customer'),
};
const CreateResponse = z.object({ domain_id: z.string().describe('The new customer\'s id'), domain_name: z.string().describe('The account name') });
const QueryResponse = z.object({ count: z.number().int().min(0).describe('How many customers match in all'), customer_infos: z.array(z.object(CustomerInfoShape)) });
const ContactShape = { contact_id: z.string(), name: z.string(), mobile_phone: z.string().nullable(), email: z.string().nullable() };
const DetailResponse = z.object({
  ...CustomerInfoShape,
  xaccount_id: z.string().nullable().describe('The partner platform\'s own user id, when the partner created the account'),
  xaccount_type: z.string().nullable(),
  contacts: z.array(z.object(ContactShape)),
});
const NameTaken = { status: 409, code: 'CBC.0102', when: 'the account name (domain_name) is taken' };

export function customerInfo(customer: Customer, association: CustomerAssociation, labels: string[]) {
  return {
    customer_id: customer.id,
    ...maskedCustomer(customer),
    associated_on: association.effectiveFrom.toISOString(),
    // CustomerInformation.association_type is a string in the SDK's model: "1" consultant-sale, "2" agency-sale.
    association_type: String(association.associationType),
    label: labels.join(','),
    indirect_partner_id: association.indirectPartnerId,
    account_manager_id: association.accountManagerId,
  };
}

/** The partner API of a partner's customers. Every response masks personal data. */
@Controller('v2/partners/sub-customers')
@RequirePermission('customers:all', 'customers:own')
export class CustomersController {
  constructor(
    private readonly customers: CustomersService,
    private readonly creation: CustomerCreationService,
  ) {}

  /** Creates an agency-sale customer; the association completes asynchronously (see the query). */
  @Post()
  @HttpCode(200)
  @ApiRoute({
    summary: 'Creates an agency-sale customer; the association completes asynchronously (CreateSubCustomer)',
    response: CreateResponse,
    errors: [NameTaken],
  })
  async create(@ValidBody(CreateCustomerBody) input: z.infer<typeof CreateCustomerBody>, @CurrentPrincipal() principal: Principal) {
    const customer = await this.creation.create({
      partnerId: tenantOf(principal),
      xaccountId: input.xaccount_id,
      xaccountType: input.xaccount_type,
      domainName: input.domain_name,
      mobile: input.mobile_phone,
      verificationCode: input.verification_code,
      indirectPartnerId: input.indirect_partner_id,
      accountManagerId: principal.kind === 'partner' && principal.role === 'salesperson' ? (principal.memberId ?? null) : null,
    });
    return { domain_id: customer.id, domain_name: customer.domainName };
  }

  @Post('query')
  @HttpCode(200)
  @ApiRoute({ summary: 'The partner\'s customers, filtered and paged, personal data masked (ListSubCustomers)', response: QueryResponse })
  async query(@ValidBody(QueryCustomersBody) q: z.infer<typeof QueryCustomersBody>, @CurrentPrincipal() principal: Principal) {
    const { total, rows } = await this.customers.query(scopeOf(principal), {
      offset: q.offset,
      limit: q.limit,
      accountName: q.account_name || undefined,
      customer: q.customer || undefined,
      label: q.label || undefined,
      associationType: q.association_type ?? undefined,
      associatedOnBegin: q.associated_on_begin ? new Date(q.associated_on_begin) : undefined,
      associatedOnEnd: q.associated_on_end ? new Date(q.associated_on_end) : undefined,
      customerId: q.customer_id || undefined,
      indirectPartnerId: q.indirect_partner_id || undefined,
    });
    return { count: total, customer_infos: rows.map((r) => customerInfo(r.customer, r.association, r.labels)) };
  }

  @Get(':customer_id')
  @ApiRoute({ summary: 'One of the partner\'s customers, masked, with its contacts', response: DetailResponse })
  async detail(@ValidParams(CustomerParams) { customer_id: customerId }: z.infer<typeof CustomerParams>, @CurrentPrincipal() principal: Principal) {
    const scope = scopeOf(principal);
    const { customer, association } = await this.customers.visible(scope, customerId);
    const contacts = await this.customers.contacts(scope.partnerId, customerId);
    return {
      ...customerInfo(customer, association, await this.customers.labelsOf(scope.partnerId, customerId)),
      xaccount_id: customer.xaccountId,
      xaccount_type: customer.xaccountType,
      contacts: contacts.map((c) => ({ contact_id: c.id, name: c.name, mobile_phone: c.mobile, email: c.email })),
    };
  }

  /** Reveals one personal field of one customer; the reveal is audited (who, what, when). */
  @Post(':customer_id/reveal')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Reveals one personal field of a customer, unmasked (audited)',
    response: z.object({ customer_id: z.string(), field: z.enum(['mobile', 'email', 'name']), value: z.string().nullable().describe('The unmasked value; null when the customer has none') }),
  })
  async reveal(
    @ValidParams(CustomerParams) { customer_id: customerId }: z.infer<typeof CustomerParams>,
    @ValidBody(RevealBody) { field }: z.infer<typeof RevealBody>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return { customer_id: customerId, field, value: await this.customers.reveal(principal, customerId, field) };
  }

  @Put(':customer_id/labels')
  @ApiRoute({ summary: 'Replaces the partner\'s labels on a customer', response: z.object({ customer_id: z.string(), labels: z.array(z.string()).describe('Distinct, sorted') }) })
  async labels(
    @ValidParams(CustomerParams) { customer_id: customerId }: z.infer<typeof CustomerParams>,
    @ValidBody(LabelsBody) { labels }: z.infer<typeof LabelsBody>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return { customer_id: customerId, labels: await this.customers.setLabels(scopeOf(principal), customerId, labels) };
  }

  /** Assigning customers to salespeople is the partner admin's job. */
  @Put(':customer_id/account-manager')
  @RequirePermission('customers:all')
  @ApiRoute({
    summary: 'Assigns a customer to a salesperson (or, with null, unassigns it)',
    response: z.object({ customer_id: z.string(), account_manager_id: z.string().nullable() }),
  })
  async assign(
    @ValidParams(CustomerParams) { customer_id: customerId }: z.infer<typeof CustomerParams>,
    @ValidBody(AssignBody) { member_id }: z.infer<typeof AssignBody>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const association = await this.customers.assign(scopeOf(principal), customerId, member_id);
    return { customer_id: customerId, account_manager_id: association.accountManagerId };
  }

  @Post(':customer_id/contacts')
  @HttpCode(201)
  @ApiRoute({ summary: 'Adds a partner contact person shown to the customer in its console', response: z.object(ContactShape) })
  async addContact(
    @ValidParams(CustomerParams) { customer_id: customerId }: z.infer<typeof CustomerParams>,
    @ValidBody(ContactBody) input: z.infer<typeof ContactBody>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const contact = await this.customers.addContact(scopeOf(principal), customerId, input);
    return { contact_id: contact.id, name: contact.name, mobile_phone: contact.mobile, email: contact.email };
  }
}
