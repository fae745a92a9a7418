import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One step of an application's progress, kept as its audit trail (applied, invoice rejected/approved, released, paid). */
@Entity({ name: 'payout_steps' })
export class PayoutStep {
  @PrimaryColumn({ type: 'uuid' })
  applicationId!: string;

  @PrimaryColumn({ type: 'integer' })
  stepNo!: number;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  step!: string;

  @Column({ type: 'jsonb' })
  detail!: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  by!: string;
}
