import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** FH: full-time staff incentive (专职人员激励); NRE: one-off engineering fee. */
export type BenefitType = 'FH' | 'NRE';
export type BenefitStatus = 'submitted' | 'approved' | 'rejected';

/** A partner's qualification application for a special benefit, reviewed by an operator. */
@Entity({ name: 'benefit_applications' })
@Index('benefit_applications_partner_idx', ['partnerId', 'submittedAt'])
export class BenefitApplication {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  benefitType!: BenefitType;

  @Column({ type: 'text' })
  status!: BenefitStatus;

  /** What the partner states: FH the period and the staff; NRE the project, its business value and the fee asked. */
  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  rejectReason!: string | null;

  @Column({ type: 'timestamptz' })
  submittedAt!: Date;

  @Column({ type: 'text' })
  submittedBy!: string;

  @Column({ type: 'timestamptz', nullable: true })
  reviewedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  reviewedBy!: string | null;
}
