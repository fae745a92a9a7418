import { Controller, Get, Param } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { IdSchema, NotFoundError } from '@settle/contracts';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { PartnersService } from './partners.service';

const Params = z.object({ partner_id: IdSchema }).strict();

/** Operator view of invoice-service's partner projection (what it knows of a partner, and as of when). */
@Controller('operator/invoices/partners')
@RequireOperator()
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @Get(':partner_id')
  async get(@Param() params: unknown) {
    const { partner_id } = parseInput(Params, params);
    const p = await this.partners.get(partner_id);
    if (!p) throw new NotFoundError(`invoice-service knows no partner ${partner_id}.`);
    return { partner_id: p.partnerId, name: p.name, kind: p.kind, taxpayer_type: p.taxpayerType, certification_status: p.certificationStatus, profile_at: p.profileAt.toISOString() };
  }
}
