import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A payment a partner made against its bills, as billing publishes it (`settle.billing.bill-payment.received.v1`); counted once per payment id. */
@Entity({ name: 'bill_payments' })
@Index('bill_payments_partner_idx', ['partnerId', 'paidAt'])
export class BillPayment {
  @PrimaryColumn({ type: 'text' })
  paymentId!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'uuid', nullable: true })
  billId!: string | null;

  @Column({ type: 'text', nullable: true })
  billCycle!: string | null;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'bigint' })
  amountMinor!: string;

  @Column({ type: 'timestamptz' })
  paidAt!: Date;

  @Column({ type: 'uuid' })
  sourceEventId!: string;
}
