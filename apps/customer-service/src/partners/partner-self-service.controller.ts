import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, MemberRoleName, Principal, RequirePartner, RequirePermission, callerOf, permissionsOf } from '@settle/auth';
import { ConflictError } from '@settle/contracts';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { AccessKeyParam, AddMemberBody, PageQuery } from './partner-inputs';
import { keyView, memberView } from './partner-views';
import { PartnersService } from './partners.service';

type PartnerPrincipal = Extract<Principal, { kind: 'partner' }>;

const KeyParams = z.object({ access_key: AccessKeyParam }).strict();

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
  async members(@Query() query: unknown, @CurrentPrincipal() principal: PartnerPrincipal) {
    const page = parseInput(PageQuery, query);
    const partner = await this.partners.getPartner(principal.partnerId);
    const { total, rows } = await this.partners.listMembers(partner.id, page);
    return { total_count: total, members: rows.map((m) => memberView(m, partner)) };
  }

  @Post('members')
  @HttpCode(201)
  @RequirePermission('members')
  async addMember(@Body() body: unknown, @CurrentPrincipal() principal: PartnerPrincipal) {
    const input = parseInput(AddMemberBody, body);
    const partner = await this.partners.getPartner(principal.partnerId);
    return memberView(await this.partners.addMember(partner.id, input, callerOf(principal)), partner);
  }

  @Get('access-keys')
  @RequirePermission('access-keys')
  async keys(@Query() query: unknown, @CurrentPrincipal() principal: PartnerPrincipal) {
    const page = parseInput(PageQuery, query);
    const { total, rows } = await this.partners.listKeys(principal.partnerId, page);
    return { total_count: total, access_keys: rows.map(keyView) };
  }

  /** Revoke one of the partner's own keys (not the one signing this request). */
  @Post('access-keys/:access_key/revoke')
  @HttpCode(200)
  @RequirePermission('access-keys')
  async revoke(@Param() params: unknown, @CurrentPrincipal() principal: PartnerPrincipal) {
    const { access_key } = parseInput(KeyParams, params);
    if (access_key === principal.accessKey) throw new ConflictError('A key cannot revoke itself: sign the request with another admin key.');
    return keyView(await this.partners.revokeKey(principal.partnerId, access_key, callerOf(principal)));
  }
}
