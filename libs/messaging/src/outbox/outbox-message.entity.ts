import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An event waiting to be (or already) published. Written in the same transaction as the state
 * change it describes, so either both exist or neither does.
 */
@Entity({ name: 'outbox' })
@Index('outbox_unpublished_idx', ['id'], { where: 'published_at IS NULL' })
export class OutboxMessage {
  /** Publication order; bigint comes back from pg as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** The CloudEvents id; the idempotency key of every consumer. */
  @Column({ type: 'uuid', unique: true })
  eventId!: string;

  @Column({ type: 'text' })
  eventType!: string;

  /** Logical topic name (without the deployment's prefix). */
  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'text' })
  partitionKey!: string;

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Column({ type: 'text', nullable: true })
  correlationId!: string | null;

  /** W3C trace context of the request or job that wrote the row; the relay publishes it as `ce_traceparent`. */
  @Column({ type: 'text', nullable: true })
  traceParent!: string | null;

  @Column({ type: 'jsonb' })
  data!: unknown;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  /** Failed publication attempts, for the operator's outbox-backlog view. */
  @Column({ type: 'int', default: 0 })
  publishAttempts!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;
}
