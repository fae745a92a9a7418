import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type InvoicingListStatus = 'awaiting-invoice' | 'submitted' | 'rejected' | 'approved';

/** The party the partner invoices, and where it mails the paper invoice, as the list showed them when it was opened. */
export interface BillingEntity {
  name: string;
  taxpayer_id: string;
  bank: string;
  account: string;
  address: string;
  phone: string;
}

export interface MailingAddress {
  recipient: string;
  phone: string;
  address: string;
}

/**
 * An invoicing list (开票清单), opened from an incentive payout application that needs an invoice
 * (`settle.incentive.payout-applied.v1` with `invoice_required`): the invoice the partner must issue
 * to the platform (net, tax, gross at the incentive's tax rate), the platform's billing entity and
 * the mailing address. One per application. The partner submits the invoice it issued; an operator
 * approves it (publishing `settle.invoice.approved.v1` once) or rejects it with a reason, and the
 * partner may resubmit.
 */
@Entity({ name: 'invoicing_lists' })
@Index('invoicing_lists_application_key', ['applicationId'], { unique: true })
@Index('invoicing_lists_partner_idx', ['partnerId', 'openedAt'])
export class InvoicingList {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'uuid' })
  applicationId!: string;

  @Column({ type: 'jsonb' })
  noticeIds!: string[];

  @Column({ type: 'text' })
  period!: string;

  /** bank-transfer or recharge-account (vouchers need no invoice). */
  @Column({ type: 'text' })
  method!: string;

  @Column({ type: 'text' })
  currency!: string;

  /** The payout amount (the notice total), minor units. */
  @Column({ type: 'bigint' })
  amountMinor!: string;

  @Column({ type: 'bigint' })
  netMinor!: string;

  @Column({ type: 'bigint' })
  taxMinor!: string;

  @Column({ type: 'bigint' })
  grossMinor!: string;

  /** The VAT rate the invoice must carry, as a decimal fraction ("0.06"). */
  @Column({ type: 'text' })
  taxRate!: string;

  @Column({ type: 'text' })
  taxpayerType!: string;

  @Column({ type: 'jsonb' })
  billingEntity!: BillingEntity;

  @Column({ type: 'jsonb' })
  mailingAddress!: MailingAddress;

  @Column({ type: 'text' })
  status!: InvoicingListStatus;

  /** How many invoices the partner submitted against the list so far. */
  @Column({ type: 'integer' })
  submissions!: number;

  @Column({ type: 'timestamptz' })
  appliedAt!: Date;

  @Column({ type: 'timestamptz' })
  openedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  approvedBy!: string | null;
}
