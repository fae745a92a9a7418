import { ApiAmount, ApiCurrency, ApiTimestamp, ApiUuid, BillCycleSchema, PartnerKindValues, PartnerLevelValues } from '@settle/contracts';
import { z } from 'zod';
import { PolicyVersionRow } from './policy-version.entity';
import { PolicyWithVersions } from './policies.service';
import { PolicyVersion } from './policy-rules';

const Rate = z.string().regex(/^\d+(\.\d+)?$/).describe('A fraction between 0 and 1 as decimal text (e.g. "0.05" is 5 %).');
const Period = BillCycleSchema.describe('A settlement period, YYYY-MM (UTC+08:00).');

/** How a policy version pays: one flat rate, or progressive tiers over the period's eligible amount. */
export const PolicyRateView = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('flat'), rate: Rate }),
    z.object({
      type: z.literal('tiered'),
      tiers: z.array(
        z.object({
          up_to: ApiAmount.nullable().describe("The tier's upper bound (inclusive) in the policy currency; null for the last, open tier."),
          rate: Rate.describe('The rate on the part of the eligible amount inside this tier.'),
        }),
      ),
    }),
  ])
  .meta({ id: 'IncentivePolicyRate' });

/** The fields of policyVersionView: a version's terms in the operator API's input shape. */
export const policyVersionViewShape = {
  version: z.number().int().min(1),
  name: z.string(),
  partner_kinds: z.array(z.enum(PartnerKindValues)),
  partner_levels: z.array(z.enum(PartnerLevelValues)).describe('The partner levels it applies to; empty: every level.'),
  service_type_codes: z.array(z.string()),
  association_types: z.array(z.union([z.literal(1), z.literal(2)])).describe('Which association modes count: 1 consultant-sale, 2 agency-sale.'),
  currency: ApiCurrency,
  rate: PolicyRateView,
  new_customer_bonus_rate: Rate.nullable().describe("Extra rate on the eligible amount of the partner's new customers; null: none."),
  cap: ApiAmount.nullable().describe('The most the policy pays a partner per period (bonus included); null: no cap.'),
  discount_allowed: z.boolean(),
  effective_from: Period.describe('The first settlement period this version governs (YYYY-MM, inclusive).'),
  effective_to: Period.nullable().describe('The first period the policy no longer governs (YYYY-MM, exclusive); null: open.'),
};
const ServiceTypeNames = z.record(z.string(), z.string()).describe('Display names of the service types (code → name), as the operator gave them.');

/** An incentive policy with every version (policyView), as the operator API answers it. */
export const PolicyViewSchema = z
  .object({
    policy_id: ApiUuid,
    code: z.string().describe('The incentive policy code the public API reports per service type.'),
    created_at: ApiTimestamp,
    created_by: z.string(),
    current: z.object({ ...policyVersionViewShape, service_type_names: ServiceTypeNames }).nullable().describe('The latest version.'),
    versions: z.array(z.object({ ...policyVersionViewShape, service_type_names: ServiceTypeNames, created_at: ApiTimestamp, created_by: z.string() })),
  })
  .meta({ id: 'IncentivePolicy' });

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

