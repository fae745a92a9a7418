import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePartner, tenantOf } from '@settle/auth';
import { AssociationTypeSchema, IdSchema } from '@settle/contracts';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { AssociationsService } from './associations.service';

const AssociateBody = z
  .object({
    partner_id: IdSchema,
    customer_id: IdSchema,
    association_type: AssociationTypeSchema,
    effective_from: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** Partner API `POST /v2/partners/sub-customers/query` (paging as there: offset, limit ≤ 100). */
const QueryCustomersBody = z.object({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(100).default(10),
});

@Controller()
export class AssociationsController {
  constructor(private readonly associations: AssociationsService) {}

  /** Operator API: record an association (partners associate through invitations and customer creation). */
  @Post('operator/associations')
  @HttpCode(201)
  @RequireOperator()
  async associate(@Body() body: unknown) {
    const input = parseInput(AssociateBody, body);
    const association = await this.associations.associate({
      partnerId: input.partner_id,
      customerId: input.customer_id,
      associationType: input.association_type,
      effectiveFrom: input.effective_from ? new Date(input.effective_from) : undefined,
    });
    return {
      association_id: association.id,
      partner_id: association.partnerId,
      customer_id: association.customerId,
      association_type: association.associationType,
      associated_on: association.effectiveFrom.toISOString(),
    };
  }

  @Post('v2/partners/sub-customers/query')
  @HttpCode(200)
  @RequirePartner()
  async query(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { offset, limit } = parseInput(QueryCustomersBody, body ?? {});
    const { total, rows } = await this.associations.listForPartner(tenantOf(principal), offset, limit);
    return {
      total_count: total,
      customer_infos: rows.map((a) => ({
        customer_id: a.customerId,
        association_type: a.associationType,
        associated_on: a.effectiveFrom.toISOString(),
      })),
    };
  }
}
