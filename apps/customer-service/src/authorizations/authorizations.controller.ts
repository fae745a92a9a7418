import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, scopeOf } from '@settle/auth';
import { IdSchema } from '@settle/contracts';
import { parseInput } from '@settle/platform';
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

const CustomerParams = z.object({ customer_id: IdSchema }).passthrough();
const RejectBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
const RevokeBody = z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict();

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
  async request(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const input = parseInput(RequestBody, body);
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
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseInput(PartnerListQuery, query);
    const { total, rows } = await this.authorizations.listForPartner(scopeOf(principal), { ...q, customerId: q.customer_id });
    return { total_count: total, authorizations: rows.map(authorizationView) };
  }

  @Get('v2/partners/customer-authorizations/:authorization_id')
  @RequirePermission('customer-authorizations')
  async get(@Param('authorization_id') id: string, @CurrentPrincipal() principal: Principal) {
    return authorizationView(await this.authorizations.getForPartner(scopeOf(principal), id));
  }
}

/** The customer's side, through the provider's customer console ("my partners"). */
@Controller('operator/customer-console/customers/:customer_id/authorizations')
@RequireOperator()
export class CustomerConsoleAuthorizationsController {
  constructor(private readonly authorizations: AuthorizationsService) {}

  @Get()
  async list(@Param() params: unknown, @Query() query: unknown) {
    const { customer_id } = parseInput(CustomerParams, params);
    const q = parseInput(CustomerListQuery, query);
    const { total, rows } = await this.authorizations.listForCustomer(customer_id, q);
    return { total_count: total, authorizations: rows.map(authorizationView) };
  }

  @Post(':authorization_id/approve')
  @HttpCode(200)
  async approve(@Param() params: unknown, @Param('authorization_id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.decide(params, id, 'approve', principal, null);
  }

  @Post(':authorization_id/reject')
  @HttpCode(200)
  async reject(@Param() params: unknown, @Param('authorization_id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { reason } = parseInput(RejectBody, body ?? {});
    return this.decide(params, id, 'reject', principal, reason);
  }

  @Post(':authorization_id/revoke')
  @HttpCode(200)
  async revoke(@Param() params: unknown, @Param('authorization_id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { reason } = parseInput(RevokeBody, body ?? {});
    return this.decide(params, id, 'revoke', principal, reason ?? null);
  }

  private async decide(params: unknown, id: string, action: AuthorizationAction, principal: Principal, reason: string | null) {
    const { customer_id } = parseInput(CustomerParams, params);
    return authorizationView(await this.authorizations.decide(customer_id, id, action, operatorOf(principal), reason));
  }
}
