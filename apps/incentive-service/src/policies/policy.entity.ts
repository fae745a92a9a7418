import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An incentive policy: its identity and code; what it pays lives in its versions. */
@Entity({ name: 'policies' })
@Index('policies_code_key', ['code'], { unique: true })
export class Policy {
  @PrimaryColumn({ type: 'uuid' })
  policyId!: string;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'text' })
  createdBy!: string;
}
