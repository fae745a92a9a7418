import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, scopeOf } from '@settle/auth';
import { AssociationTypeSchema, IdSchema } from '@settle/contracts';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { associationView } from '../associations/associations.controller';
import { DomainNameSchema } from '../customers/operator-customers.controller';
import { Invitation } from './invitation.entity';
import { InvitationsService, effectiveStatus } from './invitations.service';

const Mobile = z.string().regex(/^\+?\d{5,20}$/, 'must be a phone number');

const CreateBody = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('online'), mobile_phone: Mobile, association_type: AssociationTypeSchema.default(2) }).strict(),
    z.object({ kind: z.literal('offline'), mobile_phone: Mobile.optional().nullable(), association_type: AssociationTypeSchema.default(2) }).strict(),
  ]);

const ListQuery = z
  .object({
    status: z.enum(['pending', 'accepted', 'expired', 'void']).optional(),
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(100).default(10),
  })
  .strict();

const ResendBody = z.object({ invitation_ids: z.array(IdSchema).min(1).max(100) }).strict();

const AcceptBody = z
  .object({
    invitation_token: z.string().min(16).max(128),
    domain_name: DomainNameSchema,
    mobile_phone: Mobile,
    name: z.string().min(1).max(128).optional().nullable(),
    email: z.email().optional().nullable(),
  })
  .strict();

function view(i: Invitation, token?: string) {
  return {
    invitation_id: i.id,
    kind: i.kind,
    status: effectiveStatus(i),
    association_type: i.associationType,
    mobile_phone: i.mobile ? `${i.mobile.slice(0, 3)}****${i.mobile.slice(-4)}` : null,
    expires_at: i.expiresAt?.toISOString() ?? null,
    created_at: i.createdAt.toISOString(),
    accepted_customer_id: i.acceptedCustomerId,
    accepted_at: i.acceptedAt?.toISOString() ?? null,
    replaces_invitation_id: i.replacesId,
    replaced_by_invitation_id: i.replacedById,
    ...(token ? { invitation_token: token, qr_payload: `settle-invitation:${token}` } : {}),
  };
}

/**
 * Partners invite prospects; the customer console registers them through the link. A salesperson
 * sees and re-sends only its own invitations, and the customers they bring are assigned to it.
 */
@Controller()
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post('v2/partners/invitations')
  @HttpCode(201)
  @RequirePermission('invitations')
  async create(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const input = parseInput(CreateBody, body);
    const { invitation, token } = await this.invitations.create(scopeOf(principal), {
      kind: input.kind,
      mobile: input.mobile_phone ?? null,
      associationType: input.association_type,
    });
    return view(invitation, token);
  }

  @Get('v2/partners/invitations')
  @RequirePermission('invitations')
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseInput(ListQuery, query);
    const { total, rows } = await this.invitations.list(scopeOf(principal), q);
    return { total_count: total, invitations: rows.map((i) => view(i)) };
  }

  /** Re-send one or a batch of expired invitations: 200 with the new links and `error_details[]`. */
  @Post('v2/partners/invitations/resend')
  @HttpCode(200)
  @RequirePermission('invitations')
  async resend(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { invitation_ids } = parseInput(ResendBody, body);
    const { issued, errors } = await this.invitations.resend(scopeOf(principal), invitation_ids);
    return {
      invitations: issued.map((r) => view(r.invitation, r.token)),
      error_details: errors.map((e) => ({ invitation_id: e.id, error_code: e.error_code, error_msg: e.error_msg })),
    };
  }

  @Post('operator/customer-console/invitations/accept')
  @HttpCode(201)
  @RequireOperator()
  async accept(@Body() body: unknown) {
    const input = parseInput(AcceptBody, body);
    const { invitation, association } = await this.invitations.accept({
      token: input.invitation_token,
      domainName: input.domain_name,
      mobile: input.mobile_phone,
      name: input.name,
      email: input.email,
    });
    return { invitation: view(invitation), association: associationView(association) };
  }

  /** Operator trigger of the expiry sweep (the scheduled job runs it every minute). */
  @Post('operator/invitations/expire-due')
  @HttpCode(200)
  @RequireOperator()
  async expireDue() {
    return { expired: await this.invitations.expireDue() };
  }
}
