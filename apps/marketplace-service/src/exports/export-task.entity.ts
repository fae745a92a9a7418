import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type ExportStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'expired';

/** An asynchronous export of a split bill's lines ("export task created successfully"), as billing's. */
@Entity({ name: 'export_tasks' })
@Index('export_tasks_partner_idx', ['partnerId', 'createdAt'])
export class ExportTask {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'uuid' })
  splitBillId!: string;

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

  @Column({ type: 'text' })
  requestedBy!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;
}
