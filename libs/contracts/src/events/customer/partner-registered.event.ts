import { z } from 'zod';
import { Topics } from '../../kafka/topics';
import { defineEvent } from '../define-event';
import { IdSchema, IsoDateTimeSchema } from '../common.schemas';

/** Partner kinds (合作伙伴类型): reseller (云经销商), distributor (总经销商), solution provider (解决方案提供商). */
export const PartnerKindValues = ['reseller', 'distributor', 'solution-provider'] as const;
/** Partner levels, lowest first; incentive policies differ by level. */
export const PartnerLevelValues = ['registered', 'certified', 'preferred', 'leading'] as const;
/** Taxpayer identity: it changes how an incentive notice's invoice amount is computed. */
export const TaxpayerTypeValues = ['general', 'small-scale'] as const;
/** Business information certification (商业信息认证); the invoicing list needs `certified`. */
export const CertificationStatusValues = ['uncertified', 'pending', 'certified', 'rejected'] as const;

/** The profile of a partner as other services project it. */
export const PartnerProfileSchema = z
  .object({
    partner_id: IdSchema,
    name: z.string().min(1).max(128),
    kind: z.enum(PartnerKindValues),
    /** 1 or 2 for resellers (2 = indirect reseller under `parent_partner_id`); null for other kinds. */
    tier: z.union([z.literal(1), z.literal(2)]).nullable(),
    parent_partner_id: IdSchema.nullable(),
    level: z.enum(PartnerLevelValues),
    taxpayer_type: z.enum(TaxpayerTypeValues),
    certification_status: z.enum(CertificationStatusValues),
  })
  .strict();

/** The platform registered a partner (operator API). Key: the partner id. */
export const PartnerRegisteredV1 = defineEvent({
  name: 'settle.customer.partner.registered',
  version: 1,
  topic: Topics.CustomerEvents,
  producer: 'customer-service',
  description: 'A partner was registered: its kind, tier and parent, level, taxpayer type and certification status.',
  schema: PartnerProfileSchema.extend({ registered_at: IsoDateTimeSchema }).strict(),
});
