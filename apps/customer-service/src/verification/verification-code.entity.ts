import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A verification code sent to a mobile number. Only a keyed hash of the code is stored. */
@Entity({ name: 'verification_codes' })
@Index('verification_codes_receiver_idx', ['receiver', 'createdAt'])
export class VerificationCode {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  receiver!: string;

  /** The public API's scene: 29 = registration, 18 = bank-card real-name verification. */
  @Column({ type: 'text' })
  scene!: string;

  @Column({ type: 'text' })
  codeHash!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  consumedAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  failedAttempts!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
