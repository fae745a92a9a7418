import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccountManagerAssignedV1, AssociationEndedV1, AssociationType, CustomerAssociatedV1 } from '@settle/contracts';
import { inSystemScope } from '@settle/persistence';
import { DataSource, EntityManager, In } from 'typeorm';
import { z } from 'zod';
import { CustomerOwnership } from './customer-ownership.entity';
import { OwnershipPeriod, ownerAt } from './ownership-periods';

type CustomerAssociatedData = z.infer<typeof CustomerAssociatedV1.schema>;
type AssociationEndedData = z.infer<typeof AssociationEndedV1.schema>;
type AccountManagerAssignedData = z.infer<typeof AccountManagerAssignedV1.schema>;

const periodOf = (o: CustomerOwnership): OwnershipPeriod => ({
  associationId: o.associationId,
  partnerId: o.partnerId,
  customerId: o.customerId,
  associationType: o.associationType as AssociationType,
  from: o.effectiveFrom,
  to: o.effectiveTo,
});

/**
 * The one reader and writer of `customer_ownership`, billing's projection of customer-service's
 * association events: who owned a customer, in which mode, over which period, and who manages it.
 */
@Injectable()
export class CustomerOwnershipService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The ownership periods of these customers, for the pure `ownerAt`: one query for a batch. */
  async periodsOf(m: EntityManager, customerIds: readonly string[]): Promise<Map<string, OwnershipPeriod[]>> {
    const byCustomer = new Map<string, OwnershipPeriod[]>();
    if (customerIds.length === 0) return byCustomer;
    const rows = await m.find(CustomerOwnership, { where: { customerId: In([...new Set(customerIds)]) } });
    for (const row of rows) {
      const list = byCustomer.get(row.customerId) ?? [];
      list.push(periodOf(row));
      byCustomer.set(row.customerId, list);
    }
    return byCustomer;
  }

  /** The association in force for a customer at an instant, if any (operator view). */
  async ownerAt(customerId: string, at: Date): Promise<CustomerOwnership | null> {
    const rows = await inSystemScope(this.dataSource, (m) => m.getRepository(CustomerOwnership).find({ where: { customerId } }));
    const owner = ownerAt(rows.map(periodOf), at);
    return rows.find((r) => r.associationId === owner?.associationId) ?? null;
  }

  /** Projects an association's start. */
  async recordAssociated(m: EntityManager, data: CustomerAssociatedData, eventId: string): Promise<void> {
    await m.insert(CustomerOwnership, {
      associationId: data.association_id,
      partnerId: data.partner_id,
      customerId: data.customer_id,
      associationType: data.association_type,
      effectiveFrom: new Date(data.effective_from),
      effectiveTo: null,
      accountManagerId: data.account_manager_id ?? null,
      // The initial manager is the baseline: any later assignment of this association replaces it.
      accountManagerAt: null,
      sourceEventId: eventId,
    });
  }

  /**
   * Projects an association's end as an upsert of the whole period, so a projection rebuilt from a
   * topic whose retention already dropped the start still records it.
   */
  async recordEnded(m: EntityManager, data: AssociationEndedData, eventId: string): Promise<void> {
    await m
      .createQueryBuilder()
      .insert()
      .into(CustomerOwnership)
      .values({
        associationId: data.association_id,
        partnerId: data.partner_id,
        customerId: data.customer_id,
        associationType: data.association_type,
        effectiveFrom: new Date(data.effective_from),
        effectiveTo: new Date(data.effective_to),
        sourceEventId: eventId,
      })
      .orUpdate(['effective_to'], ['association_id'])
      .execute();
  }

  /** Projects a change of the customer's salesperson; an older assignment never overwrites a newer one. */
  async recordAccountManager(m: EntityManager, data: AccountManagerAssignedData, eventId: string): Promise<void> {
    const at = new Date(data.assigned_at);
    // Same partition as the association, so the row is there; if a replay starts between the
    // two, failing retries and then dead-letters with this reason.
    if (!(await m.exists(CustomerOwnership, { where: { associationId: data.association_id } }))) {
      throw new Error(`the ownership projection has no association ${data.association_id} to assign an account manager to`);
    }
    await m
      .createQueryBuilder()
      .update(CustomerOwnership)
      .set({ accountManagerId: data.account_manager_id, accountManagerAt: at, sourceEventId: eventId })
      .where('association_id = :id AND (account_manager_at IS NULL OR account_manager_at <= :at)', { id: data.association_id, at })
      .execute();
  }
}
