import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The split section of a reconciliation statement (对账单分账部分): one marketplace split bill of
 * the partner, as marketplace-service issued it (`settle.marketplace.split-bill.issued`). It
 * enters the partner's statement of its cycle and currency, or, when that one is already
 * confirmed or not generated yet, the next statement not confirmed; `statementRevision` is the
 * first revision that shows it, so a confirmation of that revision confirms it.
 */
@Entity({ name: 'statement_split_sections' })
@Index('statement_split_sections_statement_idx', ['statementId'])
@Index('statement_split_sections_waiting_idx', ['partnerId', 'currency', 'billCycle'], { where: 'statement_id IS NULL' })
export class StatementSplitSection {
  @PrimaryColumn({ type: 'uuid' })
  splitBillId!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  /** The split bill's own cycle. */
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

  /** What the partner is owed by the split bill (may be zero or negative). */
  @Column({ type: 'bigint' })
  partnerMinor!: string;

  @Column({ type: 'integer' })
  orderCount!: number;

  @Column({ type: 'integer' })
  refundCount!: number;

  @Column({ type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ type: 'uuid', nullable: true })
  statementId!: string | null;

  @Column({ type: 'integer', nullable: true })
  statementRevision!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  attachedAt!: Date | null;
}
