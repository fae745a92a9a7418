import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A customer's association with a partner over a period. History is kept: an ended association
 * has `effective_to`; at most one is open per customer (one partner at a time).
 */
@Entity({ name: 'customer_associations' })
@Index('customer_associations_one_open_per_customer', ['customerId'], { unique: true, where: 'effective_to IS NULL' })
@Index('customer_associations_partner_idx', ['partnerId', 'effectiveFrom'])
export class CustomerAssociation {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  customerId!: string;

  /** 1 = consultant-sale, 2 = agency-sale (partner API `association_type`). */
  @Column({ type: 'smallint' })
  associationType!: number;

  @Column({ type: 'timestamptz' })
  effectiveFrom!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  effectiveTo!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
