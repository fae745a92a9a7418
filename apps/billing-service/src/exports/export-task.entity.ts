import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type ExportStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'expired';

/**
 * One asynchronous export ("export task created successfully"): what was asked, by whom, and where
 * its file is. The row is the export-records list a partner sees: status, size, expiry.
 */
@Entity({ name: 'export_tasks' })
@Index('export_tasks_partner_idx', ['partnerId', 'createdAt'])
@Index('export_tasks_status_idx', ['status', 'createdAt'])
export class ExportTask {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  /** bill-details | bill-pdf | adjust-records | account-change-records … (see export-sources.ts). */
  @Column({ type: 'text' })
  exportType!: string;

  /** The validated parameters of the export (bill_cycle, filters). */
  @Column({ type: 'jsonb' })
  params!: Record<string, unknown>;

  @Column({ type: 'text' })
  format!: string;

  @Column({ type: 'text' })
  status!: ExportStatus;

  @Column({ type: 'text' })
  fileName!: string;

  @Column({ type: 'bigint', nullable: true })
  sizeBytes!: string | null;

  @Column({ type: 'integer', nullable: true })
  rowCount!: number | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** `partner:<access key>` (member id when bound) or `operator:<subject>`. */
  @Column({ type: 'text' })
  requestedBy!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** When the file stops being downloadable (set when it is written). */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;
}
