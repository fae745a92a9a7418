import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** sending: started, outcome not (yet) known; interrupted: the worker died while sending (found on the next attempt). */
export type AttemptOutcome = 'sending' | 'accepted' | 'failed' | 'interrupted';

/** One attempt of a delivery: when, how it ended and why; the delivery log shows these. */
@Entity({ name: 'delivery_attempts' })
@Index('delivery_attempts_delivery_idx', ['deliveryId', 'startedAt'])
export class DeliveryAttempt {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  deliveryId!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'integer' })
  generation!: number;

  @Column({ type: 'text' })
  outcome!: AttemptOutcome;

  /** The receiver's answer or the failure (an HTTP status, an SMTP reply, a timeout); never the message itself. */
  @Column({ type: 'text', nullable: true })
  detail!: string | null;

  @Column({ type: 'timestamptz' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
