import { Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { CurrentPrincipal, MemberRoles, Principal, RequireOperator, RequireService } from '@settle/auth';
import { IdSchema, NotFoundError } from '@settle/contracts';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { AccessKeyParam, AddMemberBody, CreatePartnerBody, IssueKeyBody, PageQuery, PatchPartnerBody } from './partner-inputs';
import {
  IssuedCredentialsResponse,
  IssuedKeyResponse,
  KeyListResponse,
  KeyResponse,
  MemberListResponse,
  MemberResponse,
  PartnerProfileResponse,
  RotatedKeyResponse,
  keyView,
  memberView,
  partnerView,
} from './partner-views';
import { IssuedCredentials, PartnersService } from './partners.service';

const PartnerParams = z.object({ partner_id: IdSchema }).strict();
const KeyParams = z.object({ partner_id: IdSchema, access_key: AccessKeyParam }).strict();
/** Any text but NUL: the gateway asks with whatever key a request names, and reads every answer but 200 and 404 as a fault. */
const CredentialsParams = z.object({ accessKey: z.string().refine((v) => !v.includes('\u0000'), 'must not contain a NUL character') }).strict();
/** No body reads as `{}` (a key acting as the admin). */
const IssueKeyInput = z.preprocess((b) => b ?? {}, IssueKeyBody);

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
  @ApiRoute({ summary: 'Registers a partner and issues its first AK/SK, acting as its admin (the SK is shown only here)', response: IssuedCredentialsResponse })
  create(@ValidBody(CreatePartnerBody) input: z.infer<typeof CreatePartnerBody>): Promise<IssuedCredentials> {
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
  @ApiRoute({ summary: 'A partner\'s profile', response: PartnerProfileResponse })
  async show(@ValidParams(PartnerParams) { partner_id }: z.infer<typeof PartnerParams>) {
    return partnerView(await this.partners.getPartner(partner_id));
  }

  /** Level, taxpayer type, certification status; kind, tier and parent are fixed at registration. */
  @Patch('operator/partners/:partner_id')
  @RequireOperator()
  @ApiRoute({ summary: 'Changes a partner\'s level, taxpayer type or certification status', response: PartnerProfileResponse })
  async patch(@ValidParams(PartnerParams) { partner_id }: z.infer<typeof PartnerParams>, @ValidBody(PatchPartnerBody) input: z.infer<typeof PatchPartnerBody>) {
    return partnerView(
      await this.partners.updateProfile(partner_id, { level: input.level, taxpayerType: input.taxpayer_type, certificationStatus: input.certification_status }),
    );
  }

  @Post('operator/partners/:partner_id/members')
  @HttpCode(201)
  @RequireOperator()
  @ApiRoute({ summary: 'Adds a member with a role to a partner', response: MemberResponse })
  async addMember(
    @ValidParams(PartnerParams) { partner_id }: z.infer<typeof PartnerParams>,
    @ValidBody(AddMemberBody) input: z.infer<typeof AddMemberBody>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const partner = await this.partners.getPartner(partner_id);
    return memberView(await this.partners.addMember(partner_id, input, operatorOf(principal)), partner);
  }

  @Get('operator/partners/:partner_id/members')
  @RequireOperator()
  @ApiRoute({ summary: 'A partner\'s members, oldest first', response: MemberListResponse })
  async members(@ValidParams(PartnerParams) { partner_id }: z.infer<typeof PartnerParams>, @ValidQuery(PageQuery) page: z.infer<typeof PageQuery>) {
    const partner = await this.partners.getPartner(partner_id);
    const { total, rows } = await this.partners.listMembers(partner_id, page);
    return { total_count: total, members: rows.map((m) => memberView(m, partner)) };
  }

  /** Issue a key, bound to `member_id` (acting with that member's role) or acting as the admin. The SK is returned only here. */
  @Post('operator/partners/:partner_id/access-keys')
  @HttpCode(201)
  @RequireOperator()
  @ApiRoute({ summary: 'Issues an AK/SK pair acting as a member, or as the admin (the SK is shown only here)', response: IssuedKeyResponse })
  async issueKey(@ValidParams(PartnerParams) { partner_id }: z.infer<typeof PartnerParams>, @ValidBody(IssueKeyInput) input: z.infer<typeof IssueKeyInput>) {
    return this.partners.issueKey(partner_id, input.member_id ?? null);
  }

  @Get('operator/partners/:partner_id/access-keys')
  @RequireOperator()
  @ApiRoute({ summary: 'A partner\'s access keys (never their secrets), oldest first', response: KeyListResponse })
  async keys(@ValidParams(PartnerParams) { partner_id }: z.infer<typeof PartnerParams>, @ValidQuery(PageQuery) page: z.infer<typeof PageQuery>) {
    await this.partners.getPartner(partner_id);
    const { total, rows } = await this.partners.listKeys(partner_id, page);
    return { total_count: total, access_keys: rows.map(keyView) };
  }

  /** A new pair for the same member; the old key is revoked in the same transaction. */
  @Post('operator/partners/:partner_id/access-keys/:access_key/rotate')
  @HttpCode(201)
  @RequireOperator()
  @ApiRoute({
    summary: 'Replaces an active key with a new pair for the same member, revoking the old one (the SK is shown only here)',
    response: RotatedKeyResponse,
    errors: [{ status: 409, code: 'CBC.0102', when: 'the key is already revoked' }],
  })
  rotate(@ValidParams(KeyParams) { partner_id, access_key }: z.infer<typeof KeyParams>, @CurrentPrincipal() principal: Principal) {
    return this.partners.rotateKey(partner_id, access_key, operatorOf(principal));
  }

  @Post('operator/partners/:partner_id/access-keys/:access_key/revoke')
  @HttpCode(200)
  @RequireOperator()
  @ApiRoute({ summary: 'Revokes one of a partner\'s keys (revoking a revoked key changes nothing)', response: KeyResponse })
  async revoke(@ValidParams(KeyParams) { partner_id, access_key }: z.infer<typeof KeyParams>, @CurrentPrincipal() principal: Principal) {
    return keyView(await this.partners.revokeKey(partner_id, access_key, operatorOf(principal)));
  }

  /** For the gateway only: the secret that verifies a partner's signatures, and who the key acts as. */
  @Get('internal/credentials/:accessKey')
  @RequireService('gateway')
  @ApiRoute({
    summary: 'The secret that verifies an active key\'s signatures, and who the key acts as (the gateway\'s alone)',
    response: z.object({ access_key: z.string(), partner_id: z.string(), secret_key: z.string(), member_id: z.string().nullable(), role: z.enum(MemberRoles) }),
  })
  async credentials(@ValidParams(CredentialsParams) { accessKey }: z.infer<typeof CredentialsParams>) {
    const found = await this.partners.activeCredentials(accessKey);
    if (!found) throw new NotFoundError('Unknown or revoked access key.');
    return { access_key: accessKey, partner_id: found.partnerId, secret_key: found.secretKey, member_id: found.memberId, role: found.role };
  }
}
