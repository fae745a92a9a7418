import { Column, Entity, PrimaryColumn } from 'typeorm';

export type BillingCycleStatus = 'open' | 'closed';

/**
 * A billing cycle (YYYY-MM, one for the whole platform). Lines are booked only into open cycles;
 * a cycle with no row is open. Rating holds the row FOR SHARE while it books, closing takes it
 * FOR UPDATE, so nothing is booked into a cycle after it closed.
 */
@Entity({ name: 'billing_cycles' })
export class BillingCycle {
  @PrimaryColumn({ type: 'text' })
  billCycle!: string;

  @Column({ type: 'text' })
  status!: BillingCycleStatus;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  closedBy!: string | null;
}
