import { PartnerMember } from './partner-member.entity';
import { CertificationStatuses, Partner, PartnerKinds, PartnerLevels, TaxpayerTypes } from './partner.entity';
import { KeyWithRole } from './partners.service';
import { MemberRoles, Permissions, permissionsOf } from '@settle/auth';
import { ApiTimestamp, ApiTotalCount } from '@settle/contracts';
import { z } from 'zod';

const Role = z.enum(MemberRoles).describe('The member\'s role; a key without a member acts as the admin');

/** What `partnerView` answers. */
export const PartnerProfileResponse = z
  .object({
    partner_id: z.string(),
    name: z.string(),
    kind: z.enum(PartnerKinds),
    tier: z.union([z.literal(1), z.literal(2)]).nullable().describe('1 or 2 for resellers; null for distributors and solution providers'),
    parent_partner_id: z.string().nullable().describe('The tier-1 reseller or distributor a tier-2 reseller sells under'),
    level: z.enum(PartnerLevels),
    taxpayer_type: z.enum(TaxpayerTypes),
    certification_status: z.enum(CertificationStatuses).describe('Business information certification'),
    created_at: ApiTimestamp,
    updated_at: ApiTimestamp,
  })
  .meta({ id: 'PartnerAdminProfile' });

/** What `memberView` answers. */
export const MemberResponse = z
  .object({
    member_id: z.string(),
    partner_id: z.string(),
    name: z.string(),
    role: Role,
    mobile: z.string().nullable(),
    email: z.string().nullable(),
    permissions: z.array(z.enum(Permissions)).describe('What the role may do in a partner of this kind'),
    created_at: ApiTimestamp,
  })
  .meta({ id: 'PartnerAdminMember' });
export const MemberListResponse = z.object({ total_count: ApiTotalCount, members: z.array(MemberResponse) }).meta({ id: 'PartnerAdminMemberList' });

/** What `keyView` answers: never the secret. */
export const KeyResponse = z
  .object({
    access_key: z.string(),
    partner_id: z.string(),
    member_id: z.string().nullable().describe('The member the key acts as; null: it acts as the admin'),
    role: Role,
    status: z.enum(['active', 'revoked']),
    created_at: ApiTimestamp,
    revoked_at: ApiTimestamp.nullable(),
    replaced_by: z.string().nullable().describe('The key that replaced this one when it was rotated'),
  })
  .meta({ id: 'PartnerAdminAccessKey' });
export const KeyListResponse = z.object({ total_count: ApiTotalCount, access_keys: z.array(KeyResponse) }).meta({ id: 'PartnerAdminAccessKeyList' });

/** A newly issued AK/SK pair: the secret is shown only in this answer. */
const IssuedShape = {
  partner_id: z.string(),
  access_key: z.string(),
  secret_key: z.string().describe('Shown only here: only its ciphertext is stored'),
};
export const IssuedCredentialsResponse = z.object(IssuedShape);
export const IssuedKeyResponse = z.object({ ...IssuedShape, member_id: z.string().nullable().describe('The member the key acts as; null: it acts as the admin'), role: Role });
export const RotatedKeyResponse = IssuedKeyResponse.extend({ replaced_access_key: z.string().describe('The key this one replaces, revoked in the same transaction') });

export function partnerView(p: Partner) {
  return {
    partner_id: p.id,
    name: p.name,
    kind: p.kind,
    tier: p.tier,
    parent_partner_id: p.parentPartnerId,
    level: p.level,
    taxpayer_type: p.taxpayerType,
    certification_status: p.certificationStatus,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}

export function memberView(m: PartnerMember, partner: Pick<Partner, 'kind'>) {
  return {
    member_id: m.id,
    partner_id: m.partnerId,
    name: m.name,
    role: m.role,
    mobile: m.mobile,
    email: m.email,
    permissions: permissionsOf(partner.kind, m.role),
    created_at: m.createdAt.toISOString(),
  };
}

/** A key as listed: never its secret. */
export function keyView({ key, role }: KeyWithRole) {
  return {
    access_key: key.accessKey,
    partner_id: key.partnerId,
    member_id: key.memberId,
    role,
    status: key.status,
    created_at: key.createdAt.toISOString(),
    revoked_at: key.revokedAt?.toISOString() ?? null,
    replaced_by: key.replacedBy,
  };
}
