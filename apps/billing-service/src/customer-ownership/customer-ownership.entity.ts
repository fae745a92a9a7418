import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * billing-service's own view of who owned a customer, in which mode, over which period, built
 * from customer-service's events. Rating asks it "which partner owned this customer at time T".
 */
@Entity({ name: 'customer_ownership' })
@Index('customer_ownership_customer_idx', ['customerId', 'effectiveFrom'])
@Index('customer_ownership_manager_idx', ['partnerId', 'accountManagerId'])
export class CustomerOwnership {
  /** The association id from customer-service. */
  @PrimaryColumn({ type: 'text' })
  associationId!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  customerId!: string;

  @Column({ type: 'smallint' })
  associationType!: number;

  @Column({ type: 'timestamptz' })
  effectiveFrom!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  effectiveTo!: Date | null;

  /** The salesperson (partner member) who manages the customer for the partner now; null: nobody. */
  @Column({ type: 'text', nullable: true })
  accountManagerId!: string | null;

  /** When the account manager was last assigned; an older assignment event never overwrites a newer one. */
  @Column({ type: 'timestamptz', nullable: true })
  accountManagerAt!: Date | null;

  /** The event that last changed this row. */
  @Column({ type: 'uuid' })
  sourceEventId!: string;
}
