import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * billing-service's own view of a partner, projected from customer-service's partner events
 * (registered, profile changed). Coupon quotas need kind, tier and parent (who may issue to whom);
 * bills and ledger may read level and taxpayer type. `profile_at` is the time of the state the row
 * holds: an event describing an older state never overwrites a newer one.
 */
@Entity({ name: 'partner_profiles' })
@Index('partner_profiles_parent_idx', ['parentPartnerId'])
export class PartnerProfile {
  @PrimaryColumn({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** reseller, distributor or solution-provider. */
  @Column({ type: 'text' })
  kind!: string;

  /** 1 or 2 for resellers (2 = indirect reseller under `parentPartnerId`); null for other kinds. */
  @Column({ type: 'smallint', nullable: true })
  tier!: number | null;

  @Column({ type: 'text', nullable: true })
  parentPartnerId!: string | null;

  @Column({ type: 'text' })
  level!: string;

  /** general or small-scale. */
  @Column({ type: 'text' })
  taxpayerType!: string;

  /**
   * The partner's status as customer-service publishes it: its business information certification
   * (uncertified, pending, certified, rejected). customer-service has no other partner lifecycle status.
   */
  @Column({ type: 'text' })
  certificationStatus!: string;

  /** When the partner was registered. */
  @Column({ type: 'timestamptz' })
  registeredAt!: Date;

  /** The time of the state this row holds (registered_at or changed_at of the event that wrote it). */
  @Column({ type: 'timestamptz' })
  profileAt!: Date;

  /** The event that last changed this row. */
  @Column({ type: 'uuid' })
  sourceEventId!: string;
}
