import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * invoice-service's view of a partner, projected from customer-service's partner events
 * (registered, profile changed): what invoicing needs, its business information certification
 * (an invoicing list is visible only once it is `certified`) and its taxpayer type. `profile_at`
 * is the time of the state the row holds: an event describing an older state never overwrites it.
 */
@Entity({ name: 'partner_profiles' })
export class PartnerProfile {
  @PrimaryColumn({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: string;

  /** general or small-scale. */
  @Column({ type: 'text' })
  taxpayerType!: string;

  /** uncertified, pending, certified, rejected (customer-service's business information certification). */
  @Column({ type: 'text' })
  certificationStatus!: string;

  @Column({ type: 'timestamptz' })
  profileAt!: Date;

  @Column({ type: 'uuid' })
  sourceEventId!: string;
}
