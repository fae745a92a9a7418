import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { AssociationTypeSchema, BadParameterError, IdSchema, NotFoundError } from '@settle/contracts';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { AssociationsService } from './associations.service';
import { CustomerAssociation } from './customer-association.entity';

const AssociateBody = z
  .object({
    partner_id: IdSchema,
    customer_id: IdSchema,
    association_type: AssociationTypeSchema,
    effective_from: z.iso.datetime({ offset: true }).optional(),
    indirect_partner_id: IdSchema.optional().nullable(),
  })
  .strict();

const EndBody = z
  .object({
    customer_id: IdSchema,
    partner_id: IdSchema.optional(),
    effective_to: z.iso.datetime({ offset: true }).optional(),
    reason: z.string().min(1).max(500),
  })
  .strict();

export function associationView(a: CustomerAssociation) {
  return {
    association_id: a.id,
    partner_id: a.partnerId,
    customer_id: a.customerId,
    association_type: a.associationType,
    indirect_partner_id: a.indirectPartnerId,
    account_manager_id: a.accountManagerId,
    source: a.source,
    associated_on: a.effectiveFrom.toISOString(),
    effective_from: a.effectiveFrom.toISOString(),
    effective_to: a.effectiveTo ? a.effectiveTo.toISOString() : null,
    ended_reason: a.endedReason,
  };
}

/** Operator API of associations: record, end, and ask who owned a customer when. */
@Controller()
@RequireOperator()
export class AssociationsController {
  constructor(private readonly associations: AssociationsService) {}

  @Post('operator/associations')
  @HttpCode(201)
  async associate(@Body() body: unknown) {
    const input = parseInput(AssociateBody, body);
    const association = await this.associations.associate({
      partnerId: input.partner_id,
      customerId: input.customer_id,
      associationType: input.association_type,
      effectiveFrom: input.effective_from ? new Date(input.effective_from) : undefined,
      indirectPartnerId: input.indirect_partner_id ?? null,
      source: 'operator',
    });
    return associationView(association);
  }

  @Post('operator/associations/end')
  @HttpCode(200)
  async end(@Body() body: unknown) {
    const input = parseInput(EndBody, body);
    const ended = await this.associations.end({
      customerId: input.customer_id,
      partnerId: input.partner_id,
      effectiveTo: input.effective_to ? new Date(input.effective_to) : undefined,
      reason: input.reason,
    });
    return associationView(ended);
  }

  @Get('operator/customers/:customer_id/associations')
  async history(@Param('customer_id') customerId: string) {
    return { customer_id: customerId, associations: (await this.associations.history(customerId)).map(associationView) };
  }

  /** Which partner owned the customer, in which mode, at `at` (ISO time; default now). */
  @Get('operator/customers/:customer_id/owner')
  async owner(@Param('customer_id') customerId: string, @Query('at') at?: string) {
    const when = at === undefined ? new Date() : new Date(at);
    if (Number.isNaN(when.getTime()) || (at !== undefined && !z.iso.datetime({ offset: true }).safeParse(at).success)) {
      throw new BadParameterError('at: must be an ISO-8601 time with offset, e.g. 2026-11-22T10:00:00Z');
    }
    const owner = await this.associations.ownerAt(customerId, when);
    if (!owner) throw new NotFoundError(`Customer ${customerId} had no partner at ${when.toISOString()}.`);
    return associationView(owner);
  }
}
