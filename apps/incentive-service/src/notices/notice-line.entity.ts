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

  /** earned | adjustment */
  @Column({ type: 'text' })
  kind!: string;

  /** The period whose consumption the line pays (earlier than the notice's for an adjustment). */
  @Column({ type: 'text' })
  period!: string;

  @Column({ type: 'uuid' })
  policyId!: string;

  @Column({ type: 'text' })
  policyCode!: string;

  @Column({ type: 'integer' })
  policyVersion!: number;

  @Column({ type: 'text' })
  serviceTypeCode!: string;

  @Column({ type: 'bigint' })
  eligibleMinor!: string;

  @Column({ type: 'bigint' })
  incentiveMinor!: string;

  /** The accruals' sources (billing bill items, correction adjustments). */
  @Column({ type: 'text', array: true })
  sourceRefs!: string[];
}
