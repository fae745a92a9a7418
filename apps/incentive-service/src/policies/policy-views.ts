import { Policy } from './policy.entity';
import { PolicyVersionRow } from './policy-version.entity';
import { PolicyWithVersions } from './policies.service';
import { PolicyVersion } from './policy-rules';

export function policyVersionView(v: Pick<PolicyVersionRow, keyof PolicyVersion & keyof PolicyVersionRow> & { serviceTypeNames?: Record<string, string> }) {
  return {
    version: v.version,
    name: v.name,
    partner_kinds: v.partnerKinds,
    partner_levels: v.partnerLevels,
    service_type_codes: v.serviceTypeCodes,
    association_types: v.associationTypes.map(Number),
    currency: v.currency,
    rate: v.rate.kind === 'flat' ? { type: 'flat', rate: v.rate.rate } : { type: 'tiered', tiers: v.rate.tiers.map((t) => ({ up_to: t.upTo, rate: t.rate })) },
    new_customer_bonus_rate: v.newCustomerBonusRate,
    cap: v.cap,
    discount_allowed: v.discountAllowed,
    effective_from: v.effectiveFrom,
    effective_to: v.effectiveTo,
  };
}

export function policyView({ policy, versions }: { policy: Policy; versions: PolicyVersionRow[] }) {
  const current = versions[versions.length - 1];
  return {
    policy_id: policy.policyId,
    code: policy.code,
    created_at: policy.createdAt.toISOString(),
    created_by: policy.createdBy,
    current: current ? policyVersionView(current) : null,
    versions: versions.map((v) => ({ ...policyVersionView(v), created_at: v.createdAt.toISOString(), created_by: v.createdBy })),
  };
}

export type PolicyViewInput = PolicyWithVersions;
