import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type SplitProgram = 'procurement-intervention' | 'strict-selection';
export type StatementStatus = 'pending' | 'confirmed' | 'disputed';

/** A partner taking part in a split program (采购介入类 / 严选): it gets a reconciliation statement per cycle. */
@Entity({ name: 'split_program_enrollments' })
export class SplitProgramEnrollment {
  @PrimaryColumn({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  program!: SplitProgram;

  @Column({ type: 'timestamptz' })
  enrolledAt!: Date;

  @Column({ type: 'text' })
  enrolledBy!: string;
}

/**
 * A reconciliation statement (对账单): one per partner, cycle and currency, made from the partner's
 * final bill. pending → confirmed (then, and only then, split settlement may proceed) or disputed
 * (with a reason) → reissued as a new revision, pending again.
 */
@Entity({ name: 'statements' })
@Index('statements_key', ['partnerId', 'billCycle', 'currency'], { unique: true })
export class Statement {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  billCycle!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'text' })
  program!: SplitProgram;

  @Column({ type: 'uuid' })
  billId!: string;

  /** The bill's amount due, tax included, in minor units. */
  @Column({ type: 'bigint' })
  billAmountMinor!: string;

  @Column({ type: 'integer' })
  revision!: number;

  @Column({ type: 'text' })
  status!: StatementStatus;

  @Column({ type: 'timestamptz' })
  generatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  decidedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  disputeReason!: string | null;
}

/** Everything that happened to a statement: who, what, when, why. Append-only. */
@Entity({ name: 'statement_audit' })
@Index('statement_audit_statement_idx', ['statementId', 'at'])
export class StatementAuditRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  statementId!: string;

  @Column({ type: 'integer' })
  revision!: number;

  /** generated | confirmed | disputed | reissued */
  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
