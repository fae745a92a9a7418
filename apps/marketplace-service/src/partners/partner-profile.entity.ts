import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Partner kinds in the marketplace customer-service program (云商店客户服务计划). */
export const PROGRAM_KINDS: readonly string[] = ['solution-provider', 'distributor'];

/** marketplace-service's view of a partner, projected from customer-service's partner events. */
@Entity({ name: 'partner_profiles' })
export class PartnerProfile {
  @PrimaryColumn({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** reseller, distributor or solution-provider. */
  @Column({ type: 'text' })
  kind!: string;

  /** The time of the state the row holds: an older state never overwrites a newer one. */
  @Column({ type: 'timestamptz' })
  profileAt!: Date;

  @Column({ type: 'uuid' })
  sourceEventId!: string;
}
