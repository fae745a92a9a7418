import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type InvoiceType = 'vat-general' | 'vat-special';
export type InvoiceInformationStatus = 'valid' | 'void';

/**
 * An account's invoice information (发票信息): what a bill invoice the platform issues to the
 * partner carries. Bank and registered address/phone complete the enterprise VAT template (required
 * for a VAT special invoice); the mailing address is where paper invoices go. Since 2020-08-01 an
 * account holds one valid record (see `invoice-information.rules.ts`); `created_at` tells the
 * records held before that date.
 */
@Entity({ name: 'invoice_information' })
@Index('invoice_information_partner_idx', ['partnerId', 'status'])
export class InvoiceInformation {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  /** The invoice title (发票抬头); changed only through "manage invoice information", audited. */
  @Column({ type: 'text' })
  title!: string;

  /** The taxpayer identification number (纳税人识别号). */
  @Column({ type: 'text' })
  taxpayerId!: string;

  @Column({ type: 'text' })
  invoiceType!: InvoiceType;

  @Column({ type: 'text', nullable: true })
  bankName!: string | null;

  @Column({ type: 'text', nullable: true })
  bankAccount!: string | null;

  @Column({ type: 'text', nullable: true })
  registeredAddress!: string | null;

  @Column({ type: 'text', nullable: true })
  registeredPhone!: string | null;

  @Column({ type: 'text' })
  mailingRecipient!: string;

  @Column({ type: 'text' })
  mailingPhone!: string;

  @Column({ type: 'text' })
  mailingAddress!: string;

  @Column({ type: 'text' })
  status!: InvoiceInformationStatus;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'text' })
  createdBy!: string;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'text' })
  updatedBy!: string;
}
