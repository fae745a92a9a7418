import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PolicyRate } from './policy-rules';

/**
 * One version of a policy (never updated: a change is a new version from a later period, a
 * retirement a version with `effective_to`). Amounts and rates are exact decimal strings.
 */
@Entity({ name: 'policy_versions' })
export class PolicyVersionRow {
  @PrimaryColumn({ type: 'uuid' })
  policyId!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', array: true })
  partnerKinds!: string[];

  @Column({ type: 'text', array: true })
  partnerLevels!: string[];

  @Column({ type: 'text', array: true })
  serviceTypeCodes!: string[];

  /** Display names of the service types, as the operator gave them (code → name). */
  @Column({ type: 'jsonb' })
  serviceTypeNames!: Record<string, string>;

  @Column({ type: 'smallint', array: true })
  associationTypes!: number[];

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'jsonb' })
  rate!: PolicyRate;

  @Column({ type: 'numeric', nullable: true })
  newCustomerBonusRate!: string | null;

  @Column({ type: 'numeric', nullable: true })
  cap!: string | null;

  @Column({ type: 'boolean' })
  discountAllowed!: boolean;

  @Column({ type: 'text' })
  effectiveFrom!: string;

  @Column({ type: 'text', nullable: true })
  effectiveTo!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'text' })
  createdBy!: string;
}
