import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator } from '@settle/auth';
import { AccessDeniedError, NotFoundError } from '@settle/contracts';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { PartnerKinds } from './partner.entity';
import { IssuedCredentials, PartnersService } from './partners.service';

const CreatePartnerBody = z
  .object({
    name: z.string().trim().min(1).max(128),
    kind: z.enum(PartnerKinds),
  })
  .strict();

@Controller()
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  /** Operator API: create a partner and issue its first AK/SK (the SK is shown only here). */
  @Post('operator/partners')
  @HttpCode(201)
  @RequireOperator()
  create(@Body() body: unknown): Promise<IssuedCredentials> {
    return this.partners.createPartner(parseInput(CreatePartnerBody, body));
  }

  /** For the gateway only: the secret that verifies a partner's signatures. */
  @Get('internal/credentials/:accessKey')
  async credentials(@Param('accessKey') accessKey: string, @CurrentPrincipal() principal: Principal) {
    if (principal.kind !== 'service' || principal.service !== 'gateway') throw new AccessDeniedError('Only the gateway reads credentials.');
    const found = await this.partners.activeCredentials(accessKey);
    if (!found) throw new NotFoundError('Unknown or revoked access key.');
    return { access_key: accessKey, partner_id: found.partnerId, secret_key: found.secretKey };
  }
}
