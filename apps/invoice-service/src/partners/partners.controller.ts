import { Controller, Get } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { ApiTimestamp, CertificationStatusValues, IdSchema, NotFoundError, PartnerKindValues, TaxpayerTypeValues } from '@settle/contracts';
import { ApiRoute, ValidParams } from '@settle/platform';
import { z } from 'zod';
import { PartnersService } from './partners.service';

const Params = z.object({ partner_id: IdSchema }).strict();

/** What invoice-service's projection holds of a partner (from customer-service's partner events). */
const PartnerProfileResponse = z.object({
  partner_id: z.string(),
  name: z.string(),
  kind: z.enum(PartnerKindValues),
  taxpayer_type: z.enum(TaxpayerTypeValues),
  certification_status: z.enum(CertificationStatusValues).describe('Business information certification: invoicing lists are visible to the partner once it is certified'),
  profile_at: ApiTimestamp.describe('The time of the partner state the projection holds'),
});

/** Operator view of invoice-service's partner projection (what it knows of a partner, and as of when). */
@Controller('operator/invoices/partners')
@RequireOperator()
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @Get(':partner_id')
  @ApiRoute({ summary: 'What invoice-service knows of a partner (its projection of customer-service\'s partner events)', response: PartnerProfileResponse })
  async get(@ValidParams(Params) { partner_id }: z.infer<typeof Params>) {
    const p = await this.partners.get(partner_id);
    if (!p) throw new NotFoundError(`invoice-service knows no partner ${partner_id}.`);
    return { partner_id: p.partnerId, name: p.name, kind: p.kind, taxpayer_type: p.taxpayerType, certification_status: p.certificationStatus, profile_at: p.profileAt.toISOString() };
  }
}
