import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type InvoiceInformationAction = 'created' | 'updated' | 'title-changed' | 'voided';

/** One change of an account's invoice information: who, when, what it was and what it became. */
@Entity({ name: 'invoice_information_audit' })
@Index('invoice_information_audit_info_idx', ['invoiceInformationId', 'at'])
export class InvoiceInformationAudit {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'uuid' })
  invoiceInformationId!: string;

  @Column({ type: 'text' })
  action!: InvoiceInformationAction;

  /** The changed fields before (null for a creation). */
  @Column({ type: 'jsonb', nullable: true })
  before!: Record<string, unknown> | null;

  @Column({ type: 'jsonb' })
  after!: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'text' })
  by!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
