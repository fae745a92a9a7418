import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, scopeOf } from '@settle/auth';
import { ApiTimestamp, ApiTotalCount, IdSchema } from '@settle/contracts';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { AuthorizationAction, AuthorizationStatuses } from './authorization-state';
import { AuthorizationsService, DEFAULT_AUTHORIZATION_SCOPE } from './authorizations.service';
import { CustomerAuthorization, PartnerAgreementAcceptance } from './customer-authorization.entity';

const ScopeSchema = z.string().regex(/^[a-z][a-z0-9_.:-]{0,63}$/, 'must be a lower-case scope name such as "all"');

const RequestBody = z
  .object({
    customer_id: IdSchema,
    scope: ScopeSchema.default(DEFAULT_AUTHORIZATION_SCOPE),
    agreement_accepted: z.boolean().optional(),
    agreement_version: z.string().min(1).max(32).optional(),
  })
  .strict();

const Paging = {
  status: z.enum(AuthorizationStatuses).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(10),
};
const PartnerListQuery = z.object({ ...Paging, customer_id: IdSchema.optional() }).strict();
const CustomerListQuery = z.object(Paging).strict();

const PartnerGetParams = z.object({ authorization_id: IdSchema }).strict();
const CustomerParams = z.object({ customer_id: IdSchema }).strict();
const DecisionParams = z.object({ customer_id: IdSchema, authorization_id: IdSchema }).strict();
/** A missing body reads as `{}` (so a body-less reject names the missing reason). */
const RejectBody = z.preprocess((b) => b ?? {}, z.object({ reason: z.string().trim().min(1).max(500) }).strict());
const RevokeBody = z.preprocess((b) => b ?? {}, z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict());

/** An authorization as partners and the customer console see it. */
const AuthorizationResponse = z
  .object({
    authorization_id: z.string(),
    partner_id: z.string(),
    customer_id: z.string(),
    scope: z.string().describe('What the partner may do on the customer\'s behalf; "all" unless narrowed'),
    status: z.enum(AuthorizationStatuses).describe('pending → approved | rejected; approved → revoked'),
    requested_at: ApiTimestamp,
    decided_at: ApiTimestamp.nullable().describe('When the customer approved or rejected it'),
    reason: z.string().nullable().describe('The customer\'s reason for a rejection or a revocation'),
    revoked_at: ApiTimestamp.nullable(),
  })
  .meta({ id: 'CustomerAuthorization' });
const AuthorizationListResponse = z.object({ total_count: ApiTotalCount, authorizations: z.array(AuthorizationResponse) }).meta({ id: 'CustomerAuthorizationList' });
const RequestResponse = AuthorizationResponse.extend({
  agreement: z
    .object({
      agreement_version: z.string(),
      accepted_at: ApiTimestamp,
      accepted_by_access_key: z.string(),
      accepted_by_member_id: z.string().nullable(),
    })
    .describe('The partner\'s acceptance of the agency-operation agreement (recorded once, with its first request)'),
});

const AlreadyLive = { status: 409, code: 'CBC.0102', when: 'the partner already has a pending or approved authorization for this customer' };
const NotAssociated = { status: 404, code: 'CBC.0101', when: 'the customer is not associated with the partner (or, for a salesperson, not one it manages)' };
const WrongStatus = (from: string, more = '') => ({ status: 409, code: 'CBC.0102', when: `the authorization is not ${from}, or changed meanwhile${more}` });

export function authorizationView(a: CustomerAuthorization) {
  return {
    authorization_id: a.id,
    partner_id: a.partnerId,
    customer_id: a.customerId,
    scope: a.scope,
    status: a.status,
    requested_at: a.createdAt.toISOString(),
    decided_at: a.decidedAt?.toISOString() ?? null,
    reason: a.reason,
    revoked_at: a.revokedAt?.toISOString() ?? null,
  };
}

function agreementView(g: PartnerAgreementAcceptance) {
  return {
    agreement_version: g.agreementVersion,
    accepted_at: g.acceptedAt.toISOString(),
    accepted_by_access_key: g.acceptedByAccessKey,
    accepted_by_member_id: g.acceptedByMemberId,
  };
}

function operatorOf(principal: Principal | undefined): string {
  return principal?.kind === 'operator' ? principal.subject : 'unknown';
}

/**
 * Partners ask customers for authorization to operate on their behalf (代客操作授权) and follow it;
 * a salesperson only for the customers it manages.
 */
@Controller()
export class PartnerAuthorizationsController {
  constructor(private readonly authorizations: AuthorizationsService) {}

  @Post('v2/partners/customer-authorizations')
  @HttpCode(201)
  @RequirePermission('customer-authorizations')
  @ApiRoute({
    summary: 'Asks a customer for authorization to operate on its behalf (the first request also accepts the agency-operation agreement)',
    response: RequestResponse,
    errors: [NotAssociated, AlreadyLive],
  })
  async request(@ValidBody(RequestBody) input: z.infer<typeof RequestBody>, @CurrentPrincipal() principal: Principal) {
    const { authorization, agreement } = await this.authorizations.request(scopeOf(principal), {
      customerId: input.customer_id,
      scope: input.scope,
      agreementAccepted: input.agreement_accepted === true,
      agreementVersion: input.agreement_version ?? null,
    });
    return { ...authorizationView(authorization), agreement: agreementView(agreement) };
  }

  @Get('v2/partners/customer-authorizations')
  @RequirePermission('customer-authorizations')
  @ApiRoute({ summary: 'The partner\'s authorization requests, newest first', response: AuthorizationListResponse })
  async list(@ValidQuery(PartnerListQuery) q: z.infer<typeof PartnerListQuery>, @CurrentPrincipal() principal: Principal) {
    const { total, rows } = await this.authorizations.listForPartner(scopeOf(principal), { ...q, customerId: q.customer_id });
    return { total_count: total, authorizations: rows.map(authorizationView) };
  }

  @Get('v2/partners/customer-authorizations/:authorization_id')
  @RequirePermission('customer-authorizations')
  @ApiRoute({ summary: 'One of the partner\'s authorization requests', response: AuthorizationResponse })
  async get(@ValidParams(PartnerGetParams) { authorization_id }: z.infer<typeof PartnerGetParams>, @CurrentPrincipal() principal: Principal) {
    return authorizationView(await this.authorizations.getForPartner(scopeOf(principal), authorization_id));
  }
}

/** The customer's side, through the provider's customer console ("my partners"). */
@Controller('operator/customer-console/customers/:customer_id/authorizations')
@RequireOperator()
export class CustomerConsoleAuthorizationsController {
  constructor(private readonly authorizations: AuthorizationsService) {}

  @Get()
  @ApiRoute({ summary: 'The authorizations partners asked of a customer, newest first (customer console)', response: AuthorizationListResponse })
  async list(@ValidParams(CustomerParams) { customer_id }: z.infer<typeof CustomerParams>, @ValidQuery(CustomerListQuery) q: z.infer<typeof CustomerListQuery>) {
    const { total, rows } = await this.authorizations.listForCustomer(customer_id, q);
    return { total_count: total, authorizations: rows.map(authorizationView) };
  }

  @Post(':authorization_id/approve')
  @HttpCode(200)
  @ApiRoute({
    summary: 'The customer grants a pending authorization (customer console)',
    response: AuthorizationResponse,
    errors: [WrongStatus('pending', ', or its partner is no longer associated with the customer')],
  })
  async approve(@ValidParams(DecisionParams) params: z.infer<typeof DecisionParams>, @CurrentPrincipal() principal: Principal) {
    return this.decide(params, 'approve', principal, null);
  }

  @Post(':authorization_id/reject')
  @HttpCode(200)
  @ApiRoute({ summary: 'The customer refuses a pending authorization, with its reason (customer console)', response: AuthorizationResponse, errors: [WrongStatus('pending')] })
  async reject(
    @ValidParams(DecisionParams) params: z.infer<typeof DecisionParams>,
    @ValidBody(RejectBody) { reason }: z.infer<typeof RejectBody>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.decide(params, 'reject', principal, reason);
  }

  @Post(':authorization_id/revoke')
  @HttpCode(200)
  @ApiRoute({ summary: 'The customer withdraws an approved authorization (customer console)', response: AuthorizationResponse, errors: [WrongStatus('approved')] })
  async revoke(
    @ValidParams(DecisionParams) params: z.infer<typeof DecisionParams>,
    @ValidBody(RevokeBody) { reason }: z.infer<typeof RevokeBody>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.decide(params, 'revoke', principal, reason ?? null);
  }

  private async decide({ customer_id, authorization_id }: z.infer<typeof DecisionParams>, action: AuthorizationAction, principal: Principal, reason: string | null) {
    return authorizationView(await this.authorizations.decide(customer_id, authorization_id, action, operatorOf(principal), reason));
  }
}
