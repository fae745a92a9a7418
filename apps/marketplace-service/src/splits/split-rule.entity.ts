import { Column, Entity, PrimaryColumn } from 'typeorm';
import { SplitRule } from './split-rules';

/** A split rule as stored; `toSplitRule` makes the pure value the arithmetic takes. */
@Entity({ name: 'split_rules' })
export class SplitRuleRow {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** product | category */
  @Column({ type: 'text' })
  scopeKind!: 'product' | 'category';

  @Column({ type: 'text', nullable: true })
  productId!: string | null;

  @Column({ type: 'text', nullable: true })
  category!: string | null;

  @Column({ type: 'boolean' })
  strictSelection!: boolean;

  @Column({ type: 'numeric', precision: 7, scale: 4 })
  platformPct!: string;

  @Column({ type: 'numeric', precision: 7, scale: 4 })
  partnerPct!: string;

  @Column({ type: 'timestamptz' })
  effectiveFrom!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  effectiveTo!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'text' })
  createdBy!: string;
}

export function toSplitRule(r: SplitRuleRow): SplitRule {
  return {
    id: r.id,
    scope: r.scopeKind === 'product' ? { kind: 'product', productId: r.productId as string } : { kind: 'category', category: r.category as string },
    strictSelection: r.strictSelection,
    platformPct: r.platformPct,
    partnerPct: r.partnerPct,
    effectiveFrom: r.effectiveFrom,
    effectiveTo: r.effectiveTo,
  };
}
