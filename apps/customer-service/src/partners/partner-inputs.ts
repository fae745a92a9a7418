import { IdSchema } from '@settle/contracts';
import { z } from 'zod';
import { CertificationStatuses, PartnerKinds, PartnerLevels, TaxpayerTypes } from './partner.entity';
import { MemberRoles } from '@settle/auth';

export const CreatePartnerBody = z
  .object({
    name: z.string().trim().min(1).max(128),
    kind: z.enum(PartnerKinds),
    tier: z.union([z.literal(1), z.literal(2)]).optional(),
    parent_partner_id: IdSchema.optional(),
    level: z.enum(PartnerLevels).optional(),
    taxpayer_type: z.enum(TaxpayerTypes).optional(),
    certification_status: z.enum(CertificationStatuses).optional(),
  })
  .strict();

export const PatchPartnerBody = z
  .object({
    level: z.enum(PartnerLevels).optional(),
    taxpayer_type: z.enum(TaxpayerTypes).optional(),
    certification_status: z.enum(CertificationStatuses).optional(),
  })
  .strict()
  .refine((b) => b.level !== undefined || b.taxpayer_type !== undefined || b.certification_status !== undefined, {
    message: 'give at least one of level, taxpayer_type, certification_status',
  });

export const AddMemberBody = z
  .object({
    name: z.string().trim().min(1).max(128),
    role: z.enum(MemberRoles),
    mobile: z
      .string()
      .regex(/^\+?[0-9]{6,20}$/, 'must be a phone number: 6-20 digits, optionally after "+"')
      .optional(),
    email: z.email().max(254).optional(),
  })
  .strict();

export const IssueKeyBody = z.object({ member_id: IdSchema.optional() }).strict();

export const PageQuery = z
  .object({
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(100).default(100),
  })
  .strict();

export const PartnerIdParam = IdSchema;
export const AccessKeyParam = z.string().regex(/^[A-Z0-9]{1,64}$/, 'must be an access key (upper-case letters and digits)');
