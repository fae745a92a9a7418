import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An operator's (or the CLI's) run of a period: one notice job per partner with accruals to notice. */
@Entity({ name: 'notice_runs' })
export class NoticeRun {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  period!: string;

  @Column({ type: 'text' })
  requestedBy!: string;

  /** running | completed | completed-with-failures */
  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'integer', nullable: true })
  partnersTotal!: number | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
