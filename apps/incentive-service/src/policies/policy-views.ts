import { PolicyVersionRow } from './policy-version.entity';
import { PolicyWithVersions } from './policies.service';
import { PolicyVersion } from './policy-rules';

/** A version's terms in the operator API's input shape (so a view can be sent back as a change). */
export function policyVersionView(v: Pick<PolicyVersionRow, keyof PolicyVersion & keyof PolicyVersionRow>) {
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

export function policyView({ policy, versions }: PolicyWithVersions) {
  const current = versions[versions.length - 1];
  return {
    policy_id: policy.policyId,
    code: policy.code,
    created_at: policy.createdAt.toISOString(),
    created_by: policy.createdBy,
    current: current ? { ...policyVersionView(current), service_type_names: current.serviceTypeNames } : null,
    versions: versions.map((v) => ({ ...policyVersionView(v), service_type_names: v.serviceTypeNames, created_at: v.createdAt.toISOString(), created_by: v.createdBy })),
  };
}

