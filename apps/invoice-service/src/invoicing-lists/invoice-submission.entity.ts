import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type SubmissionStatus = 'pending' | 'approved' | 'rejected';

export interface Mismatch {
  field: 'net_amount' | 'tax_amount' | 'gross_amount' | 'tax_rate';
  expected: string;
  actual: string;
}

/** One invoice a partner recorded against an invoicing list (its n-th submission), and its review. */
@Entity({ name: 'invoice_submissions' })
@Index('invoice_submissions_list_key', ['listId', 'submission'], { unique: true })
export class InvoiceSubmission {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  listId!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'integer' })
  submission!: number;

  @Column({ type: 'text' })
  invoiceNumber!: string;

  @Column({ type: 'text', nullable: true })
  invoiceCode!: string | null;

  /** The date on the invoice (YYYY-MM-DD). */
  @Column({ type: 'date' })
  invoiceDate!: string;

  @Column({ type: 'bigint' })
  netMinor!: string;

  @Column({ type: 'bigint' })
  taxMinor!: string;

  @Column({ type: 'bigint' })
  grossMinor!: string;

  @Column({ type: 'text' })
  taxRate!: string;

  /** The courier's tracking number of the mailed paper invoice. */
  @Column({ type: 'text' })
  trackingNumber!: string;

  @Column({ type: 'timestamptz' })
  submittedAt!: Date;

  @Column({ type: 'text' })
  submittedBy!: string;

  @Column({ type: 'text' })
  status!: SubmissionStatus;

  @Column({ type: 'timestamptz', nullable: true })
  reviewedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  reviewedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  rejectReason!: string | null;

  /** What differed from the list at review (empty when it matched). */
  @Column({ type: 'jsonb', nullable: true })
  mismatches!: Mismatch[] | null;
}
