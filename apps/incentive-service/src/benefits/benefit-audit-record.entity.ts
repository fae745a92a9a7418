import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One entry of an application's audit trail: who did what (submitted, approved, rejected), when, and why. */
@Entity({ name: 'benefit_audit_records' })
export class BenefitAuditRecord {
  @PrimaryColumn({ type: 'uuid' })
  applicationId!: string;

  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  by!: string;
}
