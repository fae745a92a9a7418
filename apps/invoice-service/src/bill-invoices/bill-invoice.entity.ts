import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type BillInvoiceStatus = 'requested' | 'issued';

/** The invoice information a bill invoice follows, as it was when requested. */
export interface InvoiceInformationSnapshot {
  title: string;
  taxpayer_id: string;
  invoice_type: string;
  bank_name: string | null;
  bank_account: string | null;
  registered_address: string | null;
  registered_phone: string | null;
  mailing_recipient: string;
  mailing_phone: string;
  mailing_address: string;
}

/** A partner's request for an invoice of what it paid (the platform invoices the partner), then its issue. */
@Entity({ name: 'bill_invoices' })
@Index('bill_invoices_request_key', ['partnerId', 'requestId'], { unique: true })
@Index('bill_invoices_partner_idx', ['partnerId', 'requestedAt'])
export class BillInvoice {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  /** The caller's request id: requesting twice with it is one request. */
  @Column({ type: 'text' })
  requestId!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'bigint' })
  amountMinor!: string;

  @Column({ type: 'uuid' })
  invoiceInformationId!: string;

  @Column({ type: 'jsonb' })
  information!: InvoiceInformationSnapshot;

  @Column({ type: 'text' })
  status!: BillInvoiceStatus;

  @Column({ type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ type: 'text' })
  requestedBy!: string;

  @Column({ type: 'text', nullable: true })
  invoiceNumber!: string | null;

  @Column({ type: 'text', nullable: true })
  invoiceCode!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  issuedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  issuedBy!: string | null;
}
