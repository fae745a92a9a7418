import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type QuoteType = 'product' | 'configuration-list';

export interface QuoteItem {
  sku: string;
  description: string;
  quantity: number;
  /** Decimal string of the unit price after the discount. */
  unit_price: string;
}

/**
 * A partner-exclusive discount (专属折扣报价): a product quote or a configuration-list quote
 * (配置清单报价, several items), shown only to partners in the marketplace customer-service program.
 */
@Entity({ name: 'product_quotes' })
@Index('product_quotes_product_idx', ['productId', 'validFrom'])
export class ProductQuote {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  productId!: string;

  @Column({ type: 'text' })
  quoteType!: QuoteType;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  currency!: string;

  /** What it costs at list price. */
  @Column({ type: 'bigint' })
  listAmountMinor!: string;

  /** What the program partner's customer pays with the discount. */
  @Column({ type: 'bigint' })
  quoteAmountMinor!: string;

  @Column({ type: 'jsonb' })
  items!: QuoteItem[];

  @Column({ type: 'timestamptz' })
  validFrom!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  validTo!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'text' })
  createdBy!: string;
}
