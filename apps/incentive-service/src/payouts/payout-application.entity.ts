import { PayoutMethod } from '@settle/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * awaiting-invoice (bank transfer, recharge: until `invoice.approved`) → released (payout-released
 * published: recharge credited by billing, vouchers granted, bank transfer a payment instruction)
 * → paid (bank transfer only: an operator recorded the bank's reference).
 */
export type PayoutStatus = 'awaiting-invoice' | 'released' | 'paid';

/** A partner's application for a notice's payout (申请发放激励). One per notice, ever. */
@Entity({ name: 'payout_applications' })
@Index('payout_applications_notice_key', ['noticeId'], { unique: true })
@Index('payout_applications_partner_idx', ['partnerId', 'appliedAt'])
export class PayoutApplication {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'uuid' })
  noticeId!: string;

  @Column({ type: 'text' })
  period!: string;

  @Column({ type: 'text' })
  method!: PayoutMethod;

  @Column({ type: 'text' })
  status!: PayoutStatus;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'bigint' })
  amountMinor!: string;

  @Column({ type: 'boolean' })
  invoiceRequired!: boolean;

  @Column({ type: 'bigint', nullable: true })
  invoiceNetMinor!: string | null;

  @Column({ type: 'bigint', nullable: true })
  invoiceTaxMinor!: string | null;

  @Column({ type: 'bigint', nullable: true })
  invoiceGrossMinor!: string | null;

  @Column({ type: 'text', nullable: true })
  invoiceTaxRate!: string | null;

  @Column({ type: 'text', nullable: true })
  taxpayerType!: string | null;

  /** not-required | awaiting | rejected (may be resubmitted) | approved */
  @Column({ type: 'text' })
  invoiceStatus!: string;

  @Column({ type: 'uuid', nullable: true })
  payoutId!: string | null;

  @Column({ type: 'text', nullable: true })
  bankReference!: string | null;

  @Column({ type: 'timestamptz' })
  appliedAt!: Date;

  @Column({ type: 'text' })
  appliedBy!: string;

  @Column({ type: 'timestamptz', nullable: true })
  releasedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  paidAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  paidBy!: string | null;
}
