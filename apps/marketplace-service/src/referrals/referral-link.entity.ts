import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A product link a partner copied: which key signed its token and until when it attributes. */
@Entity({ name: 'referral_links' })
@Index('referral_links_partner_idx', ['partnerId', 'createdAt'])
export class ReferralLink {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  productId!: string;

  @Column({ type: 'text' })
  kid!: string;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'text' })
  createdBy!: string;
}
