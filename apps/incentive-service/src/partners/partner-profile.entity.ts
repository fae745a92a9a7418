import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * incentive-service's view of a partner, projected from customer-service's partner events: the
 * kind and level pick the policies, the taxpayer type the invoice amounts, the certification
 * status whether it may apply for a payout. `profile_at` orders the states (newest wins).
 */
@Entity({ name: 'partner_profiles' })
export class PartnerProfile {
  @PrimaryColumn({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  level!: string;

  @Column({ type: 'text' })
  taxpayerType!: string;

  @Column({ type: 'text' })
  certificationStatus!: string;

  @Column({ type: 'timestamptz' })
  profileAt!: Date;

  @Column({ type: 'uuid' })
  sourceEventId!: string;
}
