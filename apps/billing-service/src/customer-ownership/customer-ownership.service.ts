import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CustomerOwnership } from './customer-ownership.entity';

@Injectable()
export class CustomerOwnershipService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The association in force for a customer at an instant, if any. */
  async ownerAt(customerId: string, at: Date): Promise<CustomerOwnership | null> {
    return this.dataSource
      .getRepository(CustomerOwnership)
      .createQueryBuilder('o')
      .where('o.customer_id = :customerId', { customerId })
      .andWhere('o.effective_from <= :at', { at })
      .andWhere('(o.effective_to IS NULL OR o.effective_to > :at)', { at })
      .orderBy('o.effective_from', 'DESC')
      .getOne();
  }
}
