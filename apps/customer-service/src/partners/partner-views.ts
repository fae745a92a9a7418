import { PartnerMember } from './partner-member.entity';
import { Partner } from './partner.entity';
import { KeyWithRole } from './partners.service';
import { permissionsOf } from '@settle/auth';

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
