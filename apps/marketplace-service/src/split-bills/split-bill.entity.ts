import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** issued: in billing's statement, awaiting the partner's confirmation; settled: split-settled published (or nothing owed). */
export type SplitBillStatus = 'issued' | 'settled';

/**
 * A partner's split bill (严选分账单) of a cycle and currency: the totals of its order and refund
 * lines, frozen when issued. `statementId`/`statementRevision`: the reconciliation statement
 * (billing) and its first revision that shows it; a confirmation of that revision or a later one
 * settles it, once.
 */
@Entity({ name: 'split_bills' })
@Index('split_bills_key', ['partnerId', 'billCycle', 'currency'], { unique: true })
@Index('split_bills_statement_idx', ['statementId'], { where: 'statement_id IS NOT NULL' })
export class SplitBill {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  billCycle!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'bigint' })
  orderAmountMinor!: string;

  @Column({ type: 'bigint' })
  platformMinor!: string;

  @Column({ type: 'bigint' })
  sellerMinor!: string;

  @Column({ type: 'bigint' })
  partnerMinor!: string;

  @Column({ type: 'integer' })
  orderCount!: number;

  @Column({ type: 'integer' })
  refundCount!: number;

  @Column({ type: 'text' })
  status!: SplitBillStatus;

  @Column({ type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ type: 'uuid', nullable: true })
  statementId!: string | null;

  @Column({ type: 'integer', nullable: true })
  statementRevision!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  settledAt!: Date | null;

  /** What the partner owed back from earlier settled bills (≤ 0), included in `partnerMinor`. */
  @Column({ type: 'bigint', default: 0 })
  carriedInMinor!: string;

  /** The later bill this one's negative amount was carried into, once. */
  @Column({ type: 'uuid', nullable: true })
  carriedTo!: string | null;

  /** What split-settled credited (0 when the bill owed the partner nothing). */
  @Column({ type: 'bigint', nullable: true })
  settledAmountMinor!: string | null;
}
