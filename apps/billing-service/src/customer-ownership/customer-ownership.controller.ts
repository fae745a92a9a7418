import { Controller, Get, Query } from '@nestjs/common';
import { RequireOperator } from '@settle/auth';
import { IdSchema, NotFoundError } from '@settle/contracts';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { CustomerOwnershipService } from './customer-ownership.service';

const OwnerQuery = z.object({
  customer_id: IdSchema,
  at: z.iso.datetime({ offset: true }).optional(),
});

@Controller('operator/billing/customer-ownership')
export class CustomerOwnershipController {
  constructor(private readonly ownership: CustomerOwnershipService) {}

  /** Operator view: which partner owned a customer, in which mode, at an instant (default now). */
  @Get()
  @RequireOperator()
  async ownerAt(@Query() query: unknown) {
    const { customer_id, at } = parseInput(OwnerQuery, query);
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
