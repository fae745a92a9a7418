import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What a partner paid and what it has had invoiced, per currency: the row every bill invoice
 * request locks, so concurrent requests take turns and never invoice more than was paid (the table
 * also refuses `invoiced > paid`).
 */
@Entity({ name: 'invoiceable_balances' })
@Check('invoiceable_balances_never_over', 'invoiced_minor >= 0 AND invoiced_minor <= paid_minor')
export class InvoiceableBalance {
  @PrimaryColumn({ type: 'text' })
  partnerId!: string;

  @PrimaryColumn({ type: 'text' })
  currency!: string;

  @Column({ type: 'bigint' })
  paidMinor!: string;

  @Column({ type: 'bigint' })
  invoicedMinor!: string;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
