import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, MemberRoleName, MemberRoles, Permissions, Principal, RequirePartner, RequirePermission, callerOf, permissionsOf } from '@settle/auth';
import { ConflictError } from '@settle/contracts';
import { PartnerKinds } from './partner.entity';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { AccessKeyParam, AddMemberBody, PageQuery } from './partner-inputs';
import { KeyListResponse, KeyResponse, MemberListResponse, MemberResponse, keyView, memberView } from './partner-views';
import { PartnersService } from './partners.service';

type PartnerPrincipal = Extract<Principal, { kind: 'partner' }>;

const KeyParams = z.object({ access_key: AccessKeyParam }).strict();

const MeResponse = z.object({
  partner_id: z.string(),
  partner_kind: z.enum(PartnerKinds),
  access_key: z.string().describe('The key that signed this request'),
  member_id: z.string().nullable().describe('The member the key acts as; null: it acts as the admin'),
  role: z.enum(MemberRoles),
  permissions: z.array(z.enum(Permissions)).describe('What this role may do in a partner of this kind'),
});

/**
 * A partner's own members and keys (the members and access-keys permissions, the admin's: the guard
 * answers 403 CBC.0151 to any other role). Everything is scoped to the caller's partner; another partner's key is a 404.
 */
@Controller('v2/partners')
export class PartnerSelfServiceController {
  constructor(private readonly partners: PartnersService) {}

  /** Who the signing key acts as: any role may ask. */
  @Get('members/me')
  @RequirePartner()
  @ApiRoute({ summary: 'Who the signing key acts as: partner, member, role and permissions', response: MeResponse })
  async me(@CurrentPrincipal() principal: PartnerPrincipal) {
    const partner = await this.partners.getPartner(principal.partnerId);
    return {
      partner_id: partner.id,
      partner_kind: partner.kind,
      access_key: principal.accessKey,
      member_id: principal.memberId ?? null,
      role: principal.role,
      permissions: permissionsOf(partner.kind, principal.role as MemberRoleName),
    };
  }

  @Get('members')
  @RequirePermission('members')
  @ApiRoute({ summary: 'The partner\'s members, oldest first', response: MemberListResponse })
  async members(@ValidQuery(PageQuery) page: z.infer<typeof PageQuery>, @CurrentPrincipal() principal: PartnerPrincipal) {
    const partner = await this.partners.getPartner(principal.partnerId);
    const { total, rows } = await this.partners.listMembers(partner.id, page);
    return { total_count: total, members: rows.map((m) => memberView(m, partner)) };
  }

  @Post('members')
  @HttpCode(201)
  @RequirePermission('members')
  @ApiRoute({ summary: 'Adds a member with a role to the partner', response: MemberResponse })
  async addMember(@ValidBody(AddMemberBody) input: z.infer<typeof AddMemberBody>, @CurrentPrincipal() principal: PartnerPrincipal) {
    const partner = await this.partners.getPartner(principal.partnerId);
    return memberView(await this.partners.addMember(partner.id, input, callerOf(principal)), partner);
  }

  @Get('access-keys')
  @RequirePermission('access-keys')
  @ApiRoute({ summary: 'The partner\'s access keys (never their secrets), oldest first', response: KeyListResponse })
  async keys(@ValidQuery(PageQuery) page: z.infer<typeof PageQuery>, @CurrentPrincipal() principal: PartnerPrincipal) {
    const { total, rows } = await this.partners.listKeys(principal.partnerId, page);
    return { total_count: total, access_keys: rows.map(keyView) };
  }

  /** Revoke one of the partner's own keys (not the one signing this request). */
  @Post('access-keys/:access_key/revoke')
  @HttpCode(200)
  @RequirePermission('access-keys')
  @ApiRoute({
    summary: 'Revokes one of the partner\'s keys (revoking a revoked key changes nothing)',
    response: KeyResponse,
    errors: [{ status: 409, code: 'CBC.0102', when: 'the key is the one signing this request' }],
  })
  async revoke(@ValidParams(KeyParams) { access_key }: z.infer<typeof KeyParams>, @CurrentPrincipal() principal: PartnerPrincipal) {
    if (access_key === principal.accessKey) throw new ConflictError('A key cannot revoke itself: sign the request with another admin key.');
    return keyView(await this.partners.revokeKey(principal.partnerId, access_key, callerOf(principal)));
  }
}
