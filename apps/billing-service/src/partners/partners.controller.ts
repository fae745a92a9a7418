import { Controller, Get } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { ApiTimestamp, IdSchema, NotFoundError } from '@settle/contracts';
import { ApiRoute, ValidParams } from '@settle/platform';
import { z } from 'zod';
import { PartnerProfile } from './partner.entity';
import { PartnersService } from './partners.service';

const Params = z.object({ partner_id: IdSchema }).strict();

/** What billing knows of a partner (partnerProfileView). */
const PartnerProfileResponse = z.object({
  partner_id: z.string(),
  name: z.string(),
  kind: z.string().describe('reseller, distributor or solution-provider'),
  tier: z.number().int().nullable().describe('1 or 2 for resellers (2: an indirect reseller under parent_partner_id); null for other kinds'),
  parent_partner_id: z.string().nullable(),
  level: z.string(),
  taxpayer_type: z.string().describe('general or small-scale'),
  certification_status: z.string().describe('The business information certification as customer-service publishes it: uncertified, pending, certified, rejected'),
  registered_at: ApiTimestamp,
  profile_at: ApiTimestamp.describe('The time of the partner state billing holds (the event that wrote it)'),
});

export function partnerProfileView(p: PartnerProfile) {
  return {
    partner_id: p.partnerId,
    name: p.name,
    kind: p.kind,
    tier: p.tier,
    parent_partner_id: p.parentPartnerId,
    level: p.level,
    taxpayer_type: p.taxpayerType,
    certification_status: p.certificationStatus,
    registered_at: p.registeredAt.toISOString(),
    profile_at: p.profileAt.toISOString(),
  };
}

/** Operator view of billing's partner projection (what billing knows of a partner, and as of when). */
@Controller('operator/billing/partners')
@RequireOperator()
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @Get(':partner_id')
  @ApiRoute({ summary: 'What billing knows of a partner (its projection of customer-service\'s partner events)', response: PartnerProfileResponse })
  async get(@ValidParams(Params) { partner_id }: z.infer<typeof Params>) {
    const partner = await this.partners.get(partner_id);
    if (!partner) throw new NotFoundError(`Billing knows no partner ${partner_id}.`);
    return partnerProfileView(partner);
  }
}
