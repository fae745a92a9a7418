import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, scopeOf } from '@settle/auth';
import { ApiTimestamp, ApiTotalCount, AssociationTypeSchema, IdSchema } from '@settle/contracts';
import { ApiRoute, ValidBody, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { AssociationResponse, associationView } from '../associations/associations.controller';
import { DomainNameSchema } from '../customers/operator-customers.controller';
import { Invitation } from './invitation.entity';
import { InvitationErrors, InvitationsService, effectiveStatus } from './invitations.service';

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

/** What `view` answers. */
const InvitationShape = {
  invitation_id: z.string(),
  kind: z.enum(['online', 'offline']).describe('online: valid 7 days, accepted only with the reported mobile number; offline: never expires'),
  status: z.enum(['pending', 'accepted', 'expired', 'void']).describe('void: replaced by a re-sent invitation'),
  association_type: z.union([z.literal(1), z.literal(2)]).describe('1 consultant-sale, 2 agency-sale'),
  mobile_phone: z.string().nullable().describe('The number the partner reported, masked (138****5678)'),
  expires_at: ApiTimestamp.nullable().describe('null for offline invitations'),
  created_at: ApiTimestamp,
  accepted_customer_id: z.string().nullable(),
  accepted_at: ApiTimestamp.nullable(),
  replaces_invitation_id: z.string().nullable().describe('The expired invitation this one was re-sent for'),
  replaced_by_invitation_id: z.string().nullable(),
};
/** An invitation as just issued: its link's secret is shown only in this answer. */
const IssuedInvitationShape = {
  ...InvitationShape,
  invitation_token: z.string().describe('The secret of the link; shown only when issued'),
  qr_payload: z.string().describe('What the QR code carries: settle-invitation:<token>'),
};
const ListResponse = z.object({ total_count: ApiTotalCount, invitations: z.array(z.object(InvitationShape)) });
const ResendResponse = z.object({
  invitations: z.array(z.object(IssuedInvitationShape)).describe('The new invitations, one per re-sent id'),
  error_details: z
    .array(z.object({ invitation_id: z.string(), error_code: z.string().describe(`CBC.0101 unknown invitation; ${InvitationErrors.NotPending} not expired`), error_msg: z.string() }))
    .describe('The ids that were not re-sent, and why'),
});
const AcceptResponse = z.object({ invitation: z.object(InvitationShape), association: AssociationResponse });

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
  @ApiRoute({ summary: 'Invites a prospect to register as the partner\'s customer (a link and QR code)', response: z.object(IssuedInvitationShape) })
  async create(@ValidBody(CreateBody) input: z.infer<typeof CreateBody>, @CurrentPrincipal() principal: Principal) {
    const { invitation, token } = await this.invitations.create(scopeOf(principal), {
      kind: input.kind,
      mobile: input.mobile_phone ?? null,
      associationType: input.association_type,
    });
    return view(invitation, token);
  }

  @Get('v2/partners/invitations')
  @RequirePermission('invitations')
  @ApiRoute({ summary: 'The partner\'s invitations, newest first', response: ListResponse })
  async list(@ValidQuery(ListQuery) q: z.infer<typeof ListQuery>, @CurrentPrincipal() principal: Principal) {
    const { total, rows } = await this.invitations.list(scopeOf(principal), q);
    return { total_count: total, invitations: rows.map((i) => view(i)) };
  }

  /** Re-send one or a batch of expired invitations: 200 with the new links and `error_details[]`. */
  @Post('v2/partners/invitations/resend')
  @HttpCode(200)
  @RequirePermission('invitations')
  @ApiRoute({ summary: 'Re-sends expired invitations with new links; per-id failures in error_details', response: ResendResponse })
  async resend(@ValidBody(ResendBody) { invitation_ids }: z.infer<typeof ResendBody>, @CurrentPrincipal() principal: Principal) {
    const { issued, errors } = await this.invitations.resend(scopeOf(principal), invitation_ids);
    return {
      invitations: issued.map((r) => view(r.invitation, r.token)),
      error_details: errors.map((e) => ({ invitation_id: e.id, error_code: e.error_code, error_msg: e.error_msg })),
    };
  }

  @Post('operator/customer-console/invitations/accept')
  @HttpCode(201)
  @RequireOperator()
  @ApiRoute({
    summary: 'A prospect registers through an invitation and becomes the partner\'s customer (customer console)',
    response: AcceptResponse,
    errors: [
      { status: 404, code: 'CBC.0101', when: 'no invitation has this link' },
      { status: 409, code: InvitationErrors.Expired, when: 'the invitation expired; the partner must re-send it' },
      { status: 409, code: InvitationErrors.NotPending, when: 'the invitation was already used, or replaced by a newer link' },
      { status: 400, code: InvitationErrors.MobileMismatch, when: 'an online invitation is accepted with a mobile number other than the one the partner reported' },
      { status: 409, code: 'CBC.0102', when: 'the account name (domain_name) is taken' },
    ],
  })
  async accept(@ValidBody(AcceptBody) input: z.infer<typeof AcceptBody>) {
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
  @ApiRoute({ summary: 'Expires every pending invitation past its expiry now (the scheduled job runs it every minute)', response: z.object({ expired: z.number().int().min(0).describe('How many invitations this run expired') }) })
  async expireDue() {
    return { expired: await this.invitations.expireDue() };
  }
}
