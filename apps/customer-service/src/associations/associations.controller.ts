import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { ApiErrorDeclaration, ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { ApiTimestamp, AssociationRefusals, AssociationTypeSchema, BadParameterError, IdSchema, NotFoundError } from '@settle/contracts';
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

const CustomerParams = z.object({ customer_id: IdSchema }).strict();
const AT_MESSAGE = 'must be an ISO-8601 time with offset, e.g. 2026-11-22T10:00:00Z';
/** Other query keys are ignored, as they always were. */
const OwnerQuery = z.object({ at: z.iso.datetime({ offset: true, message: AT_MESSAGE }).optional().describe('The point in time to ask about; default now') });

/** What `associationView` answers: one association of a customer with a partner, over a period. */
export const AssociationResponse = z
  .object({
    association_id: z.string(),
    partner_id: z.string(),
    customer_id: z.string(),
    association_type: z.union([z.literal(1), z.literal(2)]).describe('1 consultant-sale, 2 agency-sale'),
    indirect_partner_id: z.string().nullable().describe('The tier-2 reseller the customer buys through'),
    account_manager_id: z.string().nullable().describe('The salesperson (member id) managing the customer'),
    source: z.enum(['operator', 'api', 'invitation']).describe('How the association came about'),
    associated_on: ApiTimestamp.describe('The same instant as effective_from'),
    effective_from: ApiTimestamp,
    effective_to: ApiTimestamp.nullable().describe('When it ended; null while open'),
    ended_reason: z.string().nullable(),
  })
  .meta({ id: 'CustomerAssociation' });

/** 409, one code per eligibility rule the customer breaks (the first in error_code, all in refusals[]). */
export const AssociationRefused: ApiErrorDeclaration[] = Object.values(AssociationRefusals).map(({ code, message }) => ({ status: 409, code, when: message }));

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
  @ApiRoute({
    summary: 'Makes a customer a partner\'s customer, if the eligibility rules allow it (its unused vouchers become void)',
    response: AssociationResponse,
    errors: [{ status: 404, code: 'CBC.0101', when: 'the partner or the customer does not exist' }, ...AssociationRefused],
  })
  async associate(@ValidBody(AssociateBody) input: z.infer<typeof AssociateBody>) {
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
  @ApiRoute({
    summary: 'Ends a customer\'s open association',
    response: AssociationResponse,
    errors: [{ status: 404, code: 'CBC.0101', when: 'the customer has no open association (with partner_id, when given)' }],
  })
  async end(@ValidBody(EndBody) input: z.infer<typeof EndBody>) {
    const ended = await this.associations.end({
      customerId: input.customer_id,
      partnerId: input.partner_id,
      effectiveTo: input.effective_to ? new Date(input.effective_to) : undefined,
      reason: input.reason,
    });
    return associationView(ended);
  }

  @Get('operator/customers/:customer_id/associations')
  @ApiRoute({
    summary: 'Every association the customer had, oldest first',
    response: z.object({ customer_id: z.string(), associations: z.array(AssociationResponse) }),
  })
  async history(@ValidParams(CustomerParams) { customer_id }: z.infer<typeof CustomerParams>) {
    return { customer_id, associations: (await this.associations.history(customer_id)).map(associationView) };
  }

  /** Which partner owned the customer, in which mode, at `at` (ISO time; default now). */
  @Get('operator/customers/:customer_id/owner')
  @ApiRoute({ summary: 'Which partner owned the customer, in which mode, at a point in time', response: AssociationResponse })
  async owner(@ValidParams(CustomerParams) { customer_id: customerId }: z.infer<typeof CustomerParams>, @ValidQuery(OwnerQuery) { at }: z.infer<typeof OwnerQuery>) {
    const when = at === undefined ? new Date() : new Date(at);
    if (Number.isNaN(when.getTime())) throw new BadParameterError(`at: ${AT_MESSAGE}`);
    const owner = await this.associations.ownerAt(customerId, when);
    if (!owner) throw new NotFoundError(`Customer ${customerId} had no partner at ${when.toISOString()}.`);
    return associationView(owner);
  }
}
