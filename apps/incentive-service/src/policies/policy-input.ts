import { BillCycleSchema, IdSchema, PartnerKindValues, PartnerLevelValues } from '@settle/contracts';
import { z } from 'zod';

const Fraction = z.string().regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, 'must be a fraction between 0 and 1 with at most 6 decimals, e.g. "0.05"');
const Amount = z.string().regex(/^\d{1,15}(\.\d{1,6})?$/, 'must be a non-negative decimal string such as "1000.00"');

const RateInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('flat'), rate: Fraction }).strict(),
  z.object({ type: z.literal('tiered'), tiers: z.array(z.object({ up_to: Amount.nullable(), rate: Fraction }).strict()).min(1).max(20) }).strict(),
]);

/** What a policy version says (create and change take the same terms). */
export const PolicyTermsInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    partner_kinds: z.array(z.enum(PartnerKindValues)).min(1),
    partner_levels: z.array(z.enum(PartnerLevelValues)).default([]),
    service_type_codes: z.array(z.string().regex(/^[a-z0-9.-]{3,128}$/, 'must be a service type code such as hws.service.type.ec2')).min(1).max(200),
    service_type_names: z.record(z.string(), z.string().min(1).max(200)).default({}),
    association_types: z.array(z.union([z.literal(1), z.literal(2)])).min(1).default([1]),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code').default('CNY'),
    rate: RateInput,
    new_customer_bonus_rate: Fraction.nullable().default(null),
    cap: Amount.nullable().default(null),
    discount_allowed: z.boolean().default(false),
    effective_from: BillCycleSchema,
    effective_to: BillCycleSchema.nullable().default(null),
  })
  .strict();
export type PolicyTerms = z.infer<typeof PolicyTermsInput>;

export const CreatePolicyInput = PolicyTermsInput.extend({ code: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, ".", "_" and "-" only (at most 64)') }).strict();
export const RetirePolicyInput = z.object({ effective_to: BillCycleSchema }).strict();
export const PolicyParams = z.object({ policy_id: z.uuid({ message: 'must be a policy id' }) }).strict();
export const PartnerPoliciesQuery = z.object({ period: BillCycleSchema.optional() }).strict();
export const OperatorPoliciesQuery = z.object({ partner_id: IdSchema.optional(), offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();

/** `ListIncentiveDiscountPoliciesRequest` of the official SDK: time (required), service_type_code, offset, limit. */
export const IncentiveDiscountPoliciesQuery = z
  .object({
    time: z.iso.datetime({ offset: true, message: 'must be a UTC time such as 2025-05-06T08:05:01Z' }),
    service_type_code: z.string().min(1).max(128).optional(),
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(100).default(10),
  })
  .strict();
