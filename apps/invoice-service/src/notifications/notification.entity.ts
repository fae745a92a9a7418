import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const NotificationKinds = ['list-ready', 'invoice-received', 'invoice-approved', 'invoice-rejected', 'payout-paid', 'bill-invoice-issued'] as const;
export type NotificationKind = (typeof NotificationKinds)[number];

/**
 * One step a partner is told about (list ready, invoice received, approved, rejected, payout paid,
 * bill invoice issued), written in the transaction of the step. `(kind, source_key)` is its
 * natural key (the list, submission, payout or bill invoice it is about): a redelivered or
 * re-published event records nothing twice, so nothing is sent twice.
 */
@Entity({ name: 'notifications' })
@Index('notifications_source_key', ['kind', 'sourceKey'], { unique: true })
@Index('notifications_partner_idx', ['partnerId', 'createdAt'])
export class Notification {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  kind!: NotificationKind;

  @Column({ type: 'text' })
  sourceKey!: string;

  /** The step's facts (amounts as decimal strings, times as ISO-8601 UTC); templates format them. */
  @Column({ type: 'jsonb' })
  params!: Record<string, string>;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}
