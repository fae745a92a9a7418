import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** active: called; paused: it kept failing, nothing is sent until the partner resumes it; removed: deleted by the partner. */
export type EndpointStatus = 'active' | 'paused' | 'removed';

/**
 * A partner's webhook endpoint. Its signing secret is shown once (when registered or rotated) and
 * kept sealed (AES-256-GCM under a key id, as customer-service seals secret keys). An endpoint
 * that fails `INVOICE_WEBHOOK_PAUSE_AFTER` attempts in a row is paused and reported, not hammered.
 */
@Entity({ name: 'webhook_endpoints' })
@Index('webhook_endpoints_partner_idx', ['partnerId', 'status'])
export class WebhookEndpoint {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'text' })
  sealedSecret!: string;

  /** Counts rotations: 1 for the secret it was registered with. */
  @Column({ type: 'integer' })
  secretVersion!: number;

  @Column({ type: 'text' })
  status!: EndpointStatus;

  @Column({ type: 'integer' })
  consecutiveFailures!: number;

  @Column({ type: 'timestamptz', nullable: true })
  pausedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  pausedReason!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  rotatedAt!: Date | null;
}
