import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BadParameterError, ConflictError, NotFoundError } from '@settle/contracts';
import { Money, isCurrency } from '@settle/money';
import { inSystemScope } from '@settle/persistence';
import { LOGGER, Logger } from '@settle/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '../clock';
import { PolicyTerms } from './policy-input';
import { Policy } from './policy.entity';
import { PolicyVersionRow } from './policy-version.entity';
import { PartnerProfile, PolicyRate, PolicyVersion, appliesToPartner, policiesInEffect, policyProblems } from './policy-rules';

export interface PolicyWithVersions {
  policy: Policy;
  versions: PolicyVersionRow[];
}

/** The domain value of a stored version. */
export function toPolicyVersion(row: PolicyVersionRow, code: string): PolicyVersion {
  return {
    policyId: row.policyId,
    code,
    name: row.name,
    version: row.version,
    partnerKinds: row.partnerKinds,
    partnerLevels: row.partnerLevels,
    serviceTypeCodes: row.serviceTypeCodes,
    associationTypes: row.associationTypes.map(Number),
    currency: row.currency,
    rate: row.rate,
    newCustomerBonusRate: row.newCustomerBonusRate,
    cap: row.cap,
    discountAllowed: row.discountAllowed,
    effectiveFrom: row.effectiveFrom,
    effectiveTo: row.effectiveTo,
  };
}

function rateOf(terms: PolicyTerms): PolicyRate {
  return terms.rate.type === 'flat' ? { kind: 'flat', rate: terms.rate.rate } : { kind: 'tiered', tiers: terms.rate.tiers.map((t) => ({ upTo: t.up_to, rate: t.rate })) };
}

/**
 * The policies store: create, change (a new version from a later period), retire (a version with
 * an end), read. Versions are never updated, so a notice already issued keeps the terms it was
 * computed with, and a change never reaches back before its own effective period.
 */
@Injectable()
export class PoliciesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  private versionOf(policyId: string, version: number, terms: PolicyTerms, by: string): PolicyVersionRow {
    if (!isCurrency(terms.currency)) throw new BadParameterError(`currency: unknown currency ${terms.currency}.`);
    const rate = rateOf(terms);
    const problems = policyProblems({ rate, cap: terms.cap, newCustomerBonusRate: terms.new_customer_bonus_rate, effectiveFrom: terms.effective_from, effectiveTo: terms.effective_to });
    const amounts = [terms.cap, ...(rate.kind === 'tiered' ? rate.tiers.map((t) => t.upTo) : [])].filter((a): a is string => a !== null);
    for (const a of amounts) {
      try {
        Money.of(a, terms.currency);
      } catch {
        problems.push(`${a} has more decimals than ${terms.currency} allows`);
      }
    }
    if (problems.length) throw new BadParameterError(problems.join('; '));
    return {
      policyId,
      version,
      name: terms.name,
      partnerKinds: [...new Set(terms.partner_kinds)],
      partnerLevels: [...new Set(terms.partner_levels)],
      serviceTypeCodes: [...new Set(terms.service_type_codes)].sort(),
      serviceTypeNames: terms.service_type_names,
      associationTypes: [...new Set(terms.association_types)].sort(),
      currency: terms.currency,
      rate,
      newCustomerBonusRate: terms.new_customer_bonus_rate,
      cap: terms.cap,
      discountAllowed: terms.discount_allowed,
      effectiveFrom: terms.effective_from,
      effectiveTo: terms.effective_to,
      createdAt: this.clock.now(),
      createdBy: by,
    };
  }

  async create(code: string, terms: PolicyTerms, by: string): Promise<PolicyWithVersions> {
    const policy: Policy = { policyId: randomUUID(), code, createdAt: this.clock.now(), createdBy: by };
    const version = this.versionOf(policy.policyId, 1, terms, by);
    return inSystemScope(this.dataSource, async (m) => {
      const inserted: unknown[] = await m.query(`INSERT INTO policies (policy_id, code, created_at, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING RETURNING policy_id`, [
        policy.policyId,
        code,
        policy.createdAt,
        by,
      ]);
      if (inserted.length === 0) throw new ConflictError(`A policy with code ${code} already exists.`);
      await m.insert(PolicyVersionRow, version);
      this.logger.info({ policy_id: policy.policyId, code, by }, 'incentive policy created');
      return { policy, versions: [version] };
    });
  }

  /** A new version from `terms.effective_from`, which must be later than the current version's. */
  async change(policyId: string, terms: PolicyTerms, by: string): Promise<PolicyWithVersions> {
    return inSystemScope(this.dataSource, async (m) => {
      const { policy, versions } = await this.locked(m, policyId);
      const latest = versions[versions.length - 1];
      if (terms.effective_from <= latest.effectiveFrom) {
        throw new ConflictError(`A change of policy ${policy.code} takes effect after its current version (from ${latest.effectiveFrom}); ${terms.effective_from} is not later.`);
      }
      const version = this.versionOf(policyId, latest.version + 1, terms, by);
      await m.insert(PolicyVersionRow, version);
      this.logger.info({ policy_id: policyId, version: version.version, effective_from: version.effectiveFrom, by }, 'incentive policy changed');
      return { policy, versions: [...versions, version] };
    });
  }

  /** Ends the policy before `effectiveTo`: a version with the current terms and that end. */
  async retire(policyId: string, effectiveTo: string, by: string): Promise<PolicyWithVersions> {
    return inSystemScope(this.dataSource, async (m) => {
      const { policy, versions } = await this.locked(m, policyId);
      const latest = versions[versions.length - 1];
      if (latest.effectiveTo !== null && latest.effectiveTo <= effectiveTo) throw new ConflictError(`Policy ${policy.code} already ends before ${latest.effectiveTo}.`);
      if (effectiveTo <= latest.effectiveFrom) throw new ConflictError(`Policy ${policy.code} can end from ${latest.effectiveFrom} on at the earliest (its current version's start); not ${effectiveTo}.`);
      const version: PolicyVersionRow = { ...latest, version: latest.version + 1, effectiveTo, createdAt: this.clock.now(), createdBy: by };
      await m.insert(PolicyVersionRow, version);
      this.logger.info({ policy_id: policyId, version: version.version, effective_to: effectiveTo, by }, 'incentive policy retired');
      return { policy, versions: [...versions, version] };
    });
  }

  private async locked(m: EntityManager, policyId: string): Promise<PolicyWithVersions> {
    const policy = await m.findOne(Policy, { where: { policyId }, lock: { mode: 'pessimistic_write' } });
    if (!policy) throw new NotFoundError(`Policy ${policyId} does not exist.`);
    return { policy, versions: await m.find(PolicyVersionRow, { where: { policyId }, order: { version: 'ASC' } }) };
  }

  async get(policyId: string): Promise<PolicyWithVersions> {
    return inSystemScope(this.dataSource, async (m) => {
      const policy = await m.findOneBy(Policy, { policyId });
      if (!policy) throw new NotFoundError(`Policy ${policyId} does not exist.`);
      return { policy, versions: await m.find(PolicyVersionRow, { where: { policyId }, order: { version: 'ASC' } }) };
    });
  }

  async list(offset: number, limit: number): Promise<[PolicyWithVersions[], number]> {
    return inSystemScope(this.dataSource, async (m) => {
      const [policies, total] = await m.findAndCount(Policy, { order: { code: 'ASC' }, skip: offset, take: limit });
      const rows = policies.length ? await m.createQueryBuilder(PolicyVersionRow, 'v').where('v.policy_id = ANY(:ids)', { ids: policies.map((p) => p.policyId) }).orderBy('v.version', 'ASC').getMany() : [];
      return [policies.map((policy) => ({ policy, versions: rows.filter((r) => r.policyId === policy.policyId) })), total];
    });
  }

  /** Every version of every policy, as domain values (policies are few: read whole). */
  async allVersions(m: EntityManager): Promise<{ versions: PolicyVersion[]; names: Map<string, Record<string, string>> }> {
    const policies = await m.find(Policy);
    const codes = new Map(policies.map((p) => [p.policyId, p.code]));
    const rows = await m.find(PolicyVersionRow, { order: { policyId: 'ASC', version: 'ASC' } });
    return { versions: rows.map((r) => toPolicyVersion(r, codes.get(r.policyId) as string)), names: new Map(rows.map((r) => [`${r.policyId}:${r.version}`, r.serviceTypeNames])) };
  }

  /** The versions governing `period` that apply to a partner of this kind and level. */
  async applyingTo(partner: PartnerProfile, period: string): Promise<{ versions: PolicyVersion[]; names: Map<string, Record<string, string>> }> {
    return inSystemScope(this.dataSource, async (m) => {
      const all = await this.allVersions(m);
      return { versions: policiesInEffect(all.versions, period).filter((p) => appliesToPartner(p, partner)), names: all.names };
    });
  }
}
