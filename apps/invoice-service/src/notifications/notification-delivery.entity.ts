import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type DeliveryChannel = 'email' | 'webhook';
/**
 * pending: to send (its job waits, runs or retries); delivered; failed: the last attempt failed (the
 * job stays in BullMQ's failed set for an operator to replay); held: its endpoint is paused;
 * skipped: the channel is not configured on this deployment (no SMTP server).
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'held' | 'skipped';

/**
 * A notification through one channel to one target (an email address, a webhook endpoint id).
 * Unique per (notification, channel, target): the job of a delivery is its natural key
 * (`delivery-<id>-<generation>`); a replay or a resumed endpoint starts the next generation.
 */
@Entity({ name: 'notification_deliveries' })
@Index('notification_deliveries_key', ['notificationId', 'channel', 'target'], { unique: true })
@Index('notification_deliveries_pending_idx', ['updatedAt'], { where: "status = 'pending'" })
export class NotificationDelivery {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  notificationId!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  channel!: DeliveryChannel;

  @Column({ type: 'text' })
  target!: string;

  @Column({ type: 'text' })
  status!: DeliveryStatus;

  @Column({ type: 'integer' })
  generation!: number;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
