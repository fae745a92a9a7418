import { Controller, Get, Param } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { IdSchema, NotFoundError } from '@settle/contracts';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { PartnerProfile } from './partner.entity';
import { PartnersService } from './partners.service';

const Params = z.object({ partner_id: IdSchema }).strict();

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
  async get(@Param() params: unknown) {
    const { partner_id } = parseInput(Params, params);
    const partner = await this.partners.get(partner_id);
    if (!partner) throw new NotFoundError(`Billing knows no partner ${partner_id}.`);
    return partnerProfileView(partner);
  }
}
