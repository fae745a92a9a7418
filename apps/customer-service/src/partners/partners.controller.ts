import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequireService } from '@settle/auth';
import { IdSchema, NotFoundError } from '@settle/contracts';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { AccessKeyParam, AddMemberBody, CreatePartnerBody, IssueKeyBody, PageQuery, PatchPartnerBody } from './partner-inputs';
import { keyView, memberView, partnerView } from './partner-views';
import { IssuedCredentials, PartnersService } from './partners.service';

const PartnerParams = z.object({ partner_id: IdSchema }).strict();
const KeyParams = z.object({ partner_id: IdSchema, access_key: AccessKeyParam }).strict();

function operatorOf(principal: Principal | undefined): string {
  return `operator:${principal?.kind === 'operator' ? principal.subject : 'unknown'}`;
}

/** Operator API: partners, their profile, members and AK/SK pairs. */
@Controller()
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  /** Create a partner and issue its first AK/SK, acting as its admin (the SK is shown only here). */
  @Post('operator/partners')
  @HttpCode(201)
  @RequireOperator()
  create(@Body() body: unknown): Promise<IssuedCredentials> {
    const input = parseInput(CreatePartnerBody, body);
    return this.partners.createPartner({
      name: input.name,
      kind: input.kind,
      tier: input.tier,
      parentPartnerId: input.parent_partner_id,
      level: input.level,
      taxpayerType: input.taxpayer_type,
      certificationStatus: input.certification_status,
    });
  }

  @Get('operator/partners/:partner_id')
  @RequireOperator()
  async show(@Param() params: unknown) {
    const { partner_id } = parseInput(PartnerParams, params);
    return partnerView(await this.partners.getPartner(partner_id));
  }

  /** Level, taxpayer type, certification status; kind, tier and parent are fixed at registration. */
  @Patch('operator/partners/:partner_id')
  @RequireOperator()
  async patch(@Param() params: unknown, @Body() body: unknown) {
    const { partner_id } = parseInput(PartnerParams, params);
    const input = parseInput(PatchPartnerBody, body);
    return partnerView(
      await this.partners.updateProfile(partner_id, { level: input.level, taxpayerType: input.taxpayer_type, certificationStatus: input.certification_status }),
    );
  }

  @Post('operator/partners/:partner_id/members')
  @HttpCode(201)
  @RequireOperator()
  async addMember(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { partner_id } = parseInput(PartnerParams, params);
    const input = parseInput(AddMemberBody, body);
    const partner = await this.partners.getPartner(partner_id);
    return memberView(await this.partners.addMember(partner_id, input, operatorOf(principal)), partner);
  }

  @Get('operator/partners/:partner_id/members')
  @RequireOperator()
  async members(@Param() params: unknown, @Query() query: unknown) {
    const { partner_id } = parseInput(PartnerParams, params);
    const page = parseInput(PageQuery, query);
    const partner = await this.partners.getPartner(partner_id);
    const { total, rows } = await this.partners.listMembers(partner_id, page);
    return { total_count: total, members: rows.map((m) => memberView(m, partner)) };
  }

  /** Issue a key, bound to `member_id` (acting with that member's role) or acting as the admin. The SK is returned only here. */
  @Post('operator/partners/:partner_id/access-keys')
  @HttpCode(201)
  @RequireOperator()
  async issueKey(@Param() params: unknown, @Body() body: unknown) {
    const { partner_id } = parseInput(PartnerParams, params);
    const input = parseInput(IssueKeyBody, body ?? {});
    return this.partners.issueKey(partner_id, input.member_id ?? null);
  }

  @Get('operator/partners/:partner_id/access-keys')
  @RequireOperator()
  async keys(@Param() params: unknown, @Query() query: unknown) {
    const { partner_id } = parseInput(PartnerParams, params);
    const page = parseInput(PageQuery, query);
    await this.partners.getPartner(partner_id);
    const { total, rows } = await this.partners.listKeys(partner_id, page);
    return { total_count: total, access_keys: rows.map(keyView) };
  }

  /** A new pair for the same member; the old key is revoked in the same transaction. */
  @Post('operator/partners/:partner_id/access-keys/:access_key/rotate')
  @HttpCode(201)
  @RequireOperator()
  rotate(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { partner_id, access_key } = parseInput(KeyParams, params);
    return this.partners.rotateKey(partner_id, access_key, operatorOf(principal));
  }

  @Post('operator/partners/:partner_id/access-keys/:access_key/revoke')
  @HttpCode(200)
  @RequireOperator()
  async revoke(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { partner_id, access_key } = parseInput(KeyParams, params);
    return keyView(await this.partners.revokeKey(partner_id, access_key, operatorOf(principal)));
  }

  /** For the gateway only: the secret that verifies a partner's signatures, and who the key acts as. */
  @Get('internal/credentials/:accessKey')
  @RequireService('gateway')
  async credentials(@Param('accessKey') accessKey: string) {
    const found = await this.partners.activeCredentials(accessKey);
    if (!found) throw new NotFoundError('Unknown or revoked access key.');
    return { access_key: accessKey, partner_id: found.partnerId, secret_key: found.secretKey, member_id: found.memberId, role: found.role };
  }
}
