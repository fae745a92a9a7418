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

/**
 * A message to deliver through the notification channel. Written in the transaction that decides
 * to send it (the outbox pattern for notifications); delivered by a BullMQ job and marked
 * delivered, so a crash before the job was enqueued or while it ran loses nothing.
 */
@Entity({ name: 'notifications' })
@Index('notifications_pending_idx', ['createdAt'], { where: "status = 'pending'" })
@Index('notifications_recipient_idx', ['recipient', 'createdAt'])
export class Notification {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  /** sms | email */
  @Column({ type: 'text' })
  channel!: 'sms' | 'email';

  @Column({ type: 'text' })
  recipient!: string;

  @Column({ type: 'text' })
  template!: string;

  @Column({ type: 'text' })
  text!: string;

  /** pending | delivered */
  @Column({ type: 'text', default: 'pending' })
  status!: 'pending' | 'delivered';

  @Column({ type: 'integer', default: 0 })
  deliveries!: number;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
