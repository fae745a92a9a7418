import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const PartnerKinds = ['reseller', 'distributor', 'solution-provider'] as const;
export type PartnerKind = (typeof PartnerKinds)[number];

/** A tenant of the platform. */
@Entity({ name: 'partners' })
export class Partner {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: PartnerKind;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
