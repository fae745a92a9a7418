import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A partner's discount on one service type over [effective_from, effective_to). */
@Entity({ name: 'partner_discounts' })
@Index('partner_discounts_lookup_idx', ['partnerId', 'serviceTypeCode', 'effectiveFrom'])
export class PartnerDiscount {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  serviceTypeCode!: string;

  /** A fraction in [0, 1): 0.15 is 15 % off the official price. */
  @Column({ type: 'numeric', precision: 7, scale: 6 })
  discountRate!: string;

  @Column({ type: 'timestamptz' })
  effectiveFrom!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  effectiveTo!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'text' })
  createdBy!: string;
}
