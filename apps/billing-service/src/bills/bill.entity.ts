import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type BillStatus = 'draft' | 'final';

/** The amounts every bill, item and revision carries (minor units of the bill's currency). */
abstract class BillAmountColumns {
  @Column({ type: 'bigint' })
  consumptionMinor!: string;

  @Column({ type: 'bigint' })
  refundsMinor!: string;

  @Column({ type: 'bigint' })
  adjustmentsMinor!: string;

  @Column({ type: 'bigint' })
  officialMinor!: string;

  @Column({ type: 'bigint' })
  discountMinor!: string;

  /** Tax included: consumption + refunds + adjustments. */
  @Column({ type: 'bigint' })
  amountDueMinor!: string;

  @Column({ type: 'bigint' })
  taxMinor!: string;

  @Column({ type: 'integer' })
  lineCount!: number;
}

/**
 * A partner's bill for one cycle and currency. One row ever per (partner, cycle, currency): a draft
 * regenerated keeps its id (each change is a revision); final once generated after the cycle
 * closed, and never changed again.
 */
@Entity({ name: 'bills' })
@Index('bills_key', ['partnerId', 'billCycle', 'currency'], { unique: true })
export class Bill extends BillAmountColumns {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  billCycle!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'text' })
  status!: BillStatus;

  @Column({ type: 'integer' })
  revision!: number;

  @Column({ type: 'integer' })
  customerCount!: number;

  @Column({ type: 'numeric', precision: 7, scale: 6 })
  vatRate!: string;

  @Column({ type: 'text' })
  contentHash!: string;

  @Column({ type: 'uuid' })
  lastRunId!: string;

  @Column({ type: 'timestamptz' })
  generatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finalizedAt!: Date | null;
}

/** One bill item: a customer's lines of one service type (replaced on every regeneration of a draft). */
@Entity({ name: 'bill_items' })
export class BillItem extends BillAmountColumns {
  @PrimaryColumn({ type: 'uuid' })
  billId!: string;

  @PrimaryColumn({ type: 'text' })
  customerId!: string;

  @PrimaryColumn({ type: 'text' })
  serviceTypeCode!: string;
}

/** Every version a bill had: its totals, status, and the run that made it. Append-only. */
@Entity({ name: 'bill_revisions' })
export class BillRevision extends BillAmountColumns {
  @PrimaryColumn({ type: 'uuid' })
  billId!: string;

  @PrimaryColumn({ type: 'integer' })
  revision!: number;

  @Column({ type: 'text' })
  status!: BillStatus;

  @Column({ type: 'text' })
  contentHash!: string;

  @Column({ type: 'uuid' })
  runId!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}

export type BillRunStatus = 'running' | 'completed' | 'completed-with-failures';

/** A generation run of one cycle: final bills when the cycle was closed at its start, drafts otherwise. */
@Entity({ name: 'bill_runs' })
@Index('bill_runs_trigger_key', ['triggerKey'], { unique: true })
export class BillRun {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  billCycle!: string;

  @Column({ type: 'boolean' })
  finalize!: boolean;

  /** `operator:<subject>` or `schedule`. */
  @Column({ type: 'text' })
  requestedBy!: string;

  /** Makes repeated triggers of the same scheduled run one run (`scheduled-<cycle>`); null for operator runs. */
  @Column({ type: 'text', nullable: true })
  triggerKey!: string | null;

  @Column({ type: 'text' })
  status!: BillRunStatus;

  /** null until the fan-out listed the partners. */
  @Column({ type: 'integer', nullable: true })
  partnersTotal!: number | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}

export type BillRunPartnerStatus = 'pending' | 'done' | 'failed';

/** One partner of a run: its job's outcome (progress is counted from these rows). */
@Entity({ name: 'bill_run_partners' })
export class BillRunPartner {
  @PrimaryColumn({ type: 'uuid' })
  runId!: string;

  @PrimaryColumn({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  status!: BillRunPartnerStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
