import { CertificationStatusValues, PartnerKindValues, PartnerLevelValues, TaxpayerTypeValues } from '@settle/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const PartnerKinds = PartnerKindValues;
export type PartnerKind = (typeof PartnerKinds)[number];
export const PartnerLevels = PartnerLevelValues;
export type PartnerLevel = (typeof PartnerLevels)[number];
export const TaxpayerTypes = TaxpayerTypeValues;
export type TaxpayerType = (typeof TaxpayerTypes)[number];
export const CertificationStatuses = CertificationStatusValues;
export type CertificationStatus = (typeof CertificationStatuses)[number];

/**
 * A tenant of the platform. Resellers have a tier: 1, or 2 for an indirect reseller under a parent
 * that is a tier-1 reseller or a distributor. Kind, tier and parent are fixed at registration.
 */
@Entity({ name: 'partners' })
@Index('partners_parent_partner_id_idx', ['parentPartnerId'])
export class Partner {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: PartnerKind;

  /** 1 or 2 for resellers; null for distributors and solution providers. */
  @Column({ type: 'smallint', nullable: true })
  tier!: 1 | 2 | null;

  /** The tier-1 reseller or distributor a tier-2 reseller sells under. */
  @Column({ type: 'text', nullable: true })
  parentPartnerId!: string | null;

  @Column({ type: 'text', default: 'registered' })
  level!: PartnerLevel;

  @Column({ type: 'text', default: 'general' })
  taxpayerType!: TaxpayerType;

  /** Business information certification (商业信息认证). */
  @Column({ type: 'text', default: 'uncertified' })
  certificationStatus!: CertificationStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
