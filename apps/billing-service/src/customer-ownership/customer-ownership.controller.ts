import { Controller, Get } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { ApiTimestamp, IdSchema, NotFoundError } from '@settle/contracts';
import { ApiRoute, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { CustomerOwnershipService } from './customer-ownership.service';

const OwnerQuery = z.object({
  customer_id: IdSchema,
  at: z.iso.datetime({ offset: true }).optional(),
});

const OwnerResponse = z.object({
  customer_id: z.string(),
  partner_id: z.string(),
  association_type: z.union([z.literal(1), z.literal(2)]).describe('1 consultant sale, 2 agency sale'),
  effective_from: ApiTimestamp,
  effective_to: ApiTimestamp.nullable().describe('null while the association lasts'),
  account_manager_id: z.string().nullable().describe('The partner member managing the customer, if one is assigned'),
});

@Controller('operator/billing/customer-ownership')
export class CustomerOwnershipController {
  constructor(private readonly ownership: CustomerOwnershipService) {}

  /** Operator view: which partner owned a customer, in which mode, at an instant (default now). */
  @Get()
  @RequireOperator()
  @ApiRoute({ summary: 'Which partner owned a customer, in which mode, at an instant (default now)', response: OwnerResponse })
  async ownerAt(@ValidQuery(OwnerQuery) { customer_id, at }: z.infer<typeof OwnerQuery>) {
    const owner = await this.ownership.ownerAt(customer_id, at ? new Date(at) : new Date());
    if (!owner) throw new NotFoundError(`Customer ${customer_id} had no partner at that time.`);
    return {
      customer_id: owner.customerId,
      partner_id: owner.partnerId,
      association_type: owner.associationType,
      effective_from: owner.effectiveFrom.toISOString(),
      effective_to: owner.effectiveTo?.toISOString() ?? null,
      account_manager_id: owner.accountManagerId,
    };
  }
}
