import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { NotificationParams } from './notification-templates';

/** pending: to deliver; delivered; discarded: its secret was lost (rows migrated from readable texts). */
export type NotificationStatus = 'pending' | 'delivered' | 'discarded';

/**
 * A message to deliver through the notification channel. Written in the transaction that decides
 * to send it (the outbox pattern for notifications); delivered by a BullMQ job and marked
 * delivered, so a crash before the job was enqueued or while it ran loses nothing. No text is
 * stored: the template and its non-secret parameters are, and the secret ones (a verification
 * code) only sealed until delivery, then erased.
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

  @Column({ type: 'jsonb' })
  params!: NotificationParams;

  /** The secret parameters, sealed (SecretBox); null once delivered. */
  @Column({ type: 'text', nullable: true })
  sealedParams!: string | null;

  @Column({ type: 'text', default: 'pending' })
  status!: NotificationStatus;

  @Column({ type: 'integer', default: 0 })
  deliveries!: number;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
