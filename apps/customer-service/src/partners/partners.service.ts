import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BadParameterError, ConflictError, EventData, NotFoundError, PartnerProfileChangedV1, PartnerRegisteredV1 } from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { inPartnerScope, inSystemScope } from '@settle/persistence';
import { SERVICE_CONFIG } from '@settle/platform';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CustomerServiceConfig, secretBoxOf } from '../config';
import { AccessKey } from './access-key.entity';
import { PartnerMember } from './partner-member.entity';
import { CertificationStatus, Partner, PartnerKind, PartnerLevel, TaxpayerType } from './partner.entity';
import { MemberRoleName, SecretBox } from '@settle/auth';

export interface IssuedCredentials {
  partner_id: string;
  access_key: string;
  /** Returned once, at issue; only its ciphertext is stored. */
  secret_key: string;
}

export interface NewPartner {
  name: string;
  kind: PartnerKind;
  tier?: 1 | 2;
  parentPartnerId?: string;
  level?: PartnerLevel;
  taxpayerType?: TaxpayerType;
  certificationStatus?: CertificationStatus;
}

export interface ProfilePatch {
  level?: PartnerLevel;
  taxpayerType?: TaxpayerType;
  certificationStatus?: CertificationStatus;
}

export interface NewMember {
  name: string;
  role: MemberRoleName;
  mobile?: string;
  email?: string;
}

/** What the gateway needs to verify a signature and say who the caller is. */
export interface ActiveCredentials {
  partnerId: string;
  secretKey: string;
  memberId: string | null;
  role: MemberRoleName;
}

/** A key and, when bound, its member (for the role). */
export interface KeyWithRole {
  key: AccessKey;
  role: MemberRoleName;
}

const AK_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const PARENT_RULE = "a tier-2 reseller's parent_partner_id must be a tier-1 reseller or a distributor";

/** Access keys look like the provider's: 20 upper-case letters and digits. */
function newAccessKey(): string {
  const bytes = randomBytes(20);
  return Array.from(bytes, (b) => AK_ALPHABET[b % AK_ALPHABET.length]).join('');
}

function newId(): string {
  return randomUUID().replace(/-/g, '');
}

export function profileOf(p: Partner): Omit<EventData<typeof PartnerRegisteredV1>, 'registered_at'> {
  return {
    partner_id: p.id,
    name: p.name,
    kind: p.kind,
    tier: p.tier,
    parent_partner_id: p.parentPartnerId,
    level: p.level,
    taxpayer_type: p.taxpayerType,
    certification_status: p.certificationStatus,
  };
}

/**
 * Partners, their members and their AK/SK pairs. Members and keys are under row-level security:
 * a use case on one partner's members or keys (the partner's own, or an operator's on that
 * partner) runs in that partner's scope; only the gateway's credential lookup, which cannot know
 * the partner before it finds the key, runs in system scope.
 */
@Injectable()
export class PartnersService {
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) config: CustomerServiceConfig,
    private readonly outbox: OutboxWriter,
  ) {
    this.box = secretBoxOf(config);
  }

  /** Creates a partner and issues its first AK/SK pair (acting as its admin), atomically. */
  async createPartner(input: NewPartner): Promise<IssuedCredentials> {
    const partnerId = newId();
    let issued: IssuedCredentials | undefined;
    // The new partner's first key is its own data: written in its scope.
    await inPartnerScope(this.dataSource, partnerId, async (manager) => {
      const { tier, parentPartnerId } = await this.placement(manager, input);
      await manager.insert(Partner, {
        id: partnerId,
        name: input.name,
        kind: input.kind,
        tier,
        parentPartnerId,
        level: input.level ?? 'registered',
        taxpayerType: input.taxpayerType ?? 'general',
        certificationStatus: input.certificationStatus ?? 'uncertified',
      });
      const partner = await manager.findOneByOrFail(Partner, { id: partnerId });
      await this.outbox.append(manager, PartnerRegisteredV1, { ...profileOf(partner), registered_at: partner.createdAt.toISOString() }, { partitionKey: partnerId, subject: partnerId });
      issued = await this.insertKey(manager, partnerId, null);
    });
    return issued!;
  }

  /** Tier and parent of a new partner, checked against the tier rules. */
  private async placement(manager: EntityManager, input: NewPartner): Promise<{ tier: 1 | 2 | null; parentPartnerId: string | null }> {
    if (input.kind !== 'reseller') {
      if (input.tier !== undefined) throw new BadParameterError(`tier applies to resellers only, not to a ${input.kind}.`);
      if (input.parentPartnerId !== undefined) throw new BadParameterError(`parent_partner_id applies to tier-2 resellers only, not to a ${input.kind}.`);
      return { tier: null, parentPartnerId: null };
    }
    const tier = input.tier ?? 1;
    if (tier === 1) {
      if (input.parentPartnerId !== undefined) throw new BadParameterError('parent_partner_id applies to tier-2 resellers only; a tier-1 reseller has no parent.');
      return { tier, parentPartnerId: null };
    }
    if (input.parentPartnerId === undefined) throw new BadParameterError(`parent_partner_id is required for a tier-2 reseller: ${PARENT_RULE}.`);
    const parent = await manager.findOneBy(Partner, { id: input.parentPartnerId });
    if (!parent) throw new BadParameterError(`parent_partner_id ${input.parentPartnerId} is not a partner: ${PARENT_RULE}.`);
    const eligible = parent.kind === 'distributor' || (parent.kind === 'reseller' && parent.tier === 1);
    if (!eligible) {
      const what = parent.kind === 'reseller' ? `a tier-${parent.tier} reseller` : `a ${parent.kind}`;
      throw new BadParameterError(`parent_partner_id ${parent.id} is ${what}: ${PARENT_RULE}.`);
    }
    return { tier, parentPartnerId: parent.id };
  }

  async getPartner(partnerId: string): Promise<Partner> {
    const partner = await this.dataSource.getRepository(Partner).findOneBy({ id: partnerId });
    if (!partner) throw new NotFoundError(`No partner ${partnerId}.`);
    return partner;
  }

  /** Changes level, taxpayer type or certification status; emits the new profile when anything changed. */
  async updateProfile(partnerId: string, patch: ProfilePatch): Promise<Partner> {
    return this.dataSource.transaction(async (manager) => {
      const partner = await manager.findOne(Partner, { where: { id: partnerId }, lock: { mode: 'pessimistic_write' } });
      if (!partner) throw new NotFoundError(`No partner ${partnerId}.`);
      const changed: EventData<typeof PartnerProfileChangedV1>['changed_fields'] = [];
      if (patch.level !== undefined && patch.level !== partner.level) changed.push('level');
      if (patch.taxpayerType !== undefined && patch.taxpayerType !== partner.taxpayerType) changed.push('taxpayer_type');
      if (patch.certificationStatus !== undefined && patch.certificationStatus !== partner.certificationStatus) changed.push('certification_status');
      if (changed.length === 0) return partner;
      await manager.update(
        Partner,
        { id: partnerId },
        { level: patch.level ?? partner.level, taxpayerType: patch.taxpayerType ?? partner.taxpayerType, certificationStatus: patch.certificationStatus ?? partner.certificationStatus },
      );
      const updated = await manager.findOneByOrFail(Partner, { id: partnerId });
      await this.outbox.append(
        manager,
        PartnerProfileChangedV1,
        { ...profileOf(updated), changed_fields: changed, changed_at: updated.updatedAt.toISOString() },
        { partitionKey: partnerId, subject: partnerId },
      );
      return updated;
    });
  }

  async addMember(partnerId: string, input: NewMember, createdBy: string): Promise<PartnerMember> {
    await this.getPartner(partnerId);
    const member: Partial<PartnerMember> = {
      id: newId(),
      partnerId,
      name: input.name,
      role: input.role,
      mobile: input.mobile ?? null,
      email: input.email ?? null,
      createdBy,
    };
    return inPartnerScope(this.dataSource, partnerId, async (m) => {
      await m.insert(PartnerMember, member);
      return m.findOneByOrFail(PartnerMember, { id: member.id });
    });
  }

  async listMembers(partnerId: string, page: { offset: number; limit: number }): Promise<{ total: number; rows: PartnerMember[] }> {
    const [rows, total] = await inPartnerScope(this.dataSource, partnerId, (m) =>
      m.findAndCount(PartnerMember, { where: { partnerId }, order: { createdAt: 'ASC', id: 'ASC' }, skip: page.offset, take: page.limit }),
    );
    return { total, rows };
  }

  /** Issues a key for the partner; bound to a member of that partner, or (without one) acting as its admin. */
  async issueKey(partnerId: string, memberId: string | null): Promise<IssuedCredentials & { member_id: string | null; role: MemberRoleName }> {
    return inPartnerScope(this.dataSource, partnerId, async (manager) => {
      const partner = await manager.findOneBy(Partner, { id: partnerId });
      if (!partner) throw new NotFoundError(`No partner ${partnerId}.`);
      const role = await this.roleOf(manager, partnerId, memberId);
      return { ...(await this.insertKey(manager, partnerId, memberId)), member_id: memberId, role };
    });
  }

  async listKeys(partnerId: string, page: { offset: number; limit: number }): Promise<{ total: number; rows: KeyWithRole[] }> {
    return inPartnerScope(this.dataSource, partnerId, async (m) => {
      const [keys, total] = await m.findAndCount(AccessKey, { where: { partnerId }, order: { createdAt: 'ASC', accessKey: 'ASC' }, skip: page.offset, take: page.limit });
      const roles = await this.memberRoles(m, keys.map((k) => k.memberId).filter((id): id is string => id !== null));
      return { total, rows: keys.map((key) => ({ key, role: key.memberId ? (roles.get(key.memberId) ?? 'admin') : 'admin' })) };
    });
  }

  /** Issues a new pair for the same member and revokes the old one, in one transaction. */
  async rotateKey(partnerId: string, accessKey: string, by: string): Promise<IssuedCredentials & { member_id: string | null; role: MemberRoleName; replaced_access_key: string }> {
    return inPartnerScope(this.dataSource, partnerId, async (manager) => {
      const old = await this.lockedKey(manager, partnerId, accessKey);
      if (old.status !== 'active') throw new ConflictError(`Access key ${accessKey} is revoked; issue a new key instead.`);
      const role = await this.roleOf(manager, partnerId, old.memberId);
      const issued = await this.insertKey(manager, partnerId, old.memberId);
      await manager.update(AccessKey, { accessKey }, { status: 'revoked', revokedAt: new Date(), revokedBy: `rotation by ${by}`, replacedBy: issued.access_key });
      return { ...issued, member_id: old.memberId, role, replaced_access_key: accessKey };
    });
  }

  /** Revokes a key; revoking a revoked key changes nothing. */
  async revokeKey(partnerId: string, accessKey: string, by: string): Promise<KeyWithRole> {
    return inPartnerScope(this.dataSource, partnerId, async (manager) => {
      const key = await this.lockedKey(manager, partnerId, accessKey);
      if (key.status === 'active') await manager.update(AccessKey, { accessKey }, { status: 'revoked', revokedAt: new Date(), revokedBy: by });
      const after = await manager.findOneByOrFail(AccessKey, { accessKey });
      return { key: after, role: await this.roleOf(manager, partnerId, after.memberId) };
    });
  }

  /**
   * What the gateway needs to verify a signature; undefined for unknown or revoked keys.
   *
   * Deliberately in system scope: the access key is what names the partner, so no partner scope
   * can be set before the key is found. The lookup is by the key alone (the primary key) and its
   * member is read only within the key's own partner; the route answering it is the gateway's
   * alone (`@RequireService('gateway')`, unreachable through the gateway's public port).
   */
  async activeCredentials(accessKey: string): Promise<ActiveCredentials | undefined> {
    const found = await inSystemScope(this.dataSource, async (m) => {
      const key = await m.findOneBy(AccessKey, { accessKey, status: 'active' });
      if (!key) return undefined;
      if (!key.memberId) return { key, role: 'admin' as MemberRoleName };
      const member = await m.findOneBy(PartnerMember, { id: key.memberId, partnerId: key.partnerId });
      return member ? { key, role: member.role } : undefined;
    });
    if (!found) return undefined;
    return { partnerId: found.key.partnerId, secretKey: this.box.open(found.key.secretCiphertext), memberId: found.key.memberId, role: found.role };
  }

  async exists(partnerId: string): Promise<boolean> {
    return this.dataSource.getRepository(Partner).existsBy({ id: partnerId });
  }

  private async insertKey(manager: EntityManager, partnerId: string, memberId: string | null): Promise<IssuedCredentials> {
    const accessKey = newAccessKey();
    const secretKey = randomBytes(30).toString('base64url');
    await manager.insert(AccessKey, { accessKey, partnerId, memberId, secretCiphertext: this.box.seal(secretKey), status: 'active' });
    return { partner_id: partnerId, access_key: accessKey, secret_key: secretKey };
  }

  private async lockedKey(manager: EntityManager, partnerId: string, accessKey: string): Promise<AccessKey> {
    const key = await manager.findOne(AccessKey, { where: { accessKey, partnerId }, lock: { mode: 'pessimistic_write' } });
    if (!key) throw new NotFoundError(`No access key ${accessKey} for this partner.`);
    return key;
  }

  private async roleOf(manager: EntityManager, partnerId: string, memberId: string | null): Promise<MemberRoleName> {
    if (!memberId) return 'admin';
    const member = await manager.findOneBy(PartnerMember, { id: memberId, partnerId });
    if (!member) throw new NotFoundError(`No member ${memberId} in this partner.`);
    return member.role;
  }

  private async memberRoles(manager: EntityManager, ids: string[]): Promise<Map<string, MemberRoleName>> {
    if (ids.length === 0) return new Map();
    const members = await manager.getRepository(PartnerMember).createQueryBuilder('m').where('m.id IN (:...ids)', { ids }).getMany();
    return new Map(members.map((m) => [m.id, m.role]));
  }
}
