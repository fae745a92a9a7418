import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AssociationType, ConflictError, CustomerAssociatedV1, NotFoundError } from '@settle/contracts';
import { OutboxWriter } from '@settle/messaging';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { Partner } from '../partners/partner.entity';
import { CustomerAssociation } from './customer-association.entity';

export interface AssociateInput {
  partnerId: string;
  customerId: string;
  associationType: AssociationType;
  effectiveFrom?: Date;
}

@Injectable()
export class AssociationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * Associates a customer with a partner and emits `customer.associated`, in one transaction:
   * the row and the event exist together or not at all.
   */
  async associate(input: AssociateInput): Promise<CustomerAssociation> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await manager.existsBy(Partner, { id: input.partnerId }))) throw new NotFoundError(`Partner ${input.partnerId} does not exist.`);
      const open = await manager.findOne(CustomerAssociation, {
        where: { customerId: input.customerId, effectiveTo: IsNull() },
        lock: { mode: 'pessimistic_write' },
      });
      if (open) {
        throw new ConflictError(
          open.partnerId === input.partnerId
            ? `Customer ${input.customerId} is already associated with this partner.`
            : `Customer ${input.customerId} is already associated with another partner.`,
        );
      }
      const association = manager.create(CustomerAssociation, {
        id: randomUUID(),
        partnerId: input.partnerId,
        customerId: input.customerId,
        associationType: input.associationType,
        effectiveFrom: input.effectiveFrom ?? new Date(),
        effectiveTo: null,
      });
      await manager.insert(CustomerAssociation, association);
      await this.outbox.append(
        manager,
        CustomerAssociatedV1,
        {
          association_id: association.id,
          partner_id: association.partnerId,
          customer_id: association.customerId,
          association_type: input.associationType,
          effective_from: association.effectiveFrom.toISOString(),
        },
        { partitionKey: association.partnerId, subject: association.customerId, occurredAt: association.effectiveFrom },
      );
      return association;
    });
  }

  /** A partner's current customers, newest first. */
  async listForPartner(partnerId: string, offset: number, limit: number): Promise<{ total: number; rows: CustomerAssociation[] }> {
    const [rows, total] = await this.dataSource.getRepository(CustomerAssociation).findAndCount({
      where: { partnerId, effectiveTo: IsNull() },
      order: { effectiveFrom: 'DESC', id: 'ASC' },
      skip: offset,
      take: limit,
    });
    return { total, rows };
  }
}
