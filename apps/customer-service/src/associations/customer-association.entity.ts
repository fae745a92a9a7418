import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A customer's association with a partner over a period. History is kept: an ended association
 * has `effective_to`; at most one is open per customer (one partner at a time), so "who owned this
 * customer, in which mode, at time T" has one answer.
 */
@Entity({ name: 'customer_associations' })
@Index('customer_associations_one_open_per_customer', ['customerId'], { unique: true, where: 'effective_to IS NULL' })
@Index('customer_associations_partner_idx', ['partnerId', 'effectiveFrom'])
@Index('customer_associations_customer_history_idx', ['customerId', 'effectiveFrom'])
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

  /** The tier-2 reseller the customer buys through, when `partnerId` is its tier-1 or distributor. */
  @Column({ type: 'text', nullable: true })
  indirectPartnerId!: string | null;

  /** The salesperson (member id) the customer is assigned to; a salesperson sees only these. */
  @Column({ type: 'text', nullable: true })
  accountManagerId!: string | null;

  /** How the association came about: operator | api | invitation. */
  @Column({ type: 'text', default: 'operator' })
  source!: string;

  @Column({ type: 'timestamptz' })
  effectiveFrom!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  effectiveTo!: Date | null;

  @Column({ type: 'text', nullable: true })
  endedReason!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
