import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A partner of a run: pending until its notice job finished (done) or gave up (failed). */
@Entity({ name: 'notice_run_partners' })
export class NoticeRunPartner {
  @PrimaryColumn({ type: 'uuid' })
  runId!: string;

  @PrimaryColumn({ type: 'text' })
  partnerId!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
