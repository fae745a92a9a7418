import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One line of a notice: a policy version and service type, with the eligible amount behind it and its sources. */
@Entity({ name: 'notice_lines' })
export class NoticeLine {
  @PrimaryColumn({ type: 'uuid' })
  noticeId!: string;

  @PrimaryColumn({ type: 'integer' })
  lineNo!: number;

  @Column({ type: 'text' })
  partnerId!: string;

  /** earned | adjustment | carry-forward (an earlier notice's negative total) */
  @Column({ type: 'text' })
  kind!: string;

  /** The period whose consumption the line pays (earlier than the notice's for an adjustment). */
  @Column({ type: 'text' })
  period!: string;

  /** Null on a carry-forward line (it pays no policy). */
  @Column({ type: 'uuid', nullable: true })
  policyId!: string | null;

  @Column({ type: 'text', nullable: true })
  policyCode!: string | null;

  @Column({ type: 'integer', nullable: true })
  policyVersion!: number | null;

  @Column({ type: 'text', nullable: true })
  serviceTypeCode!: string | null;

  @Column({ type: 'bigint' })
  eligibleMinor!: string;

  @Column({ type: 'bigint' })
  incentiveMinor!: string;

  /** The accruals' sources (billing bill items, correction adjustments). */
  @Column({ type: 'text', array: true })
  sourceRefs!: string[];

  /** On a carry-forward line: the earlier notice whose negative total it carries. */
  @Column({ type: 'uuid', nullable: true })
  carriedNoticeId!: string | null;
}
