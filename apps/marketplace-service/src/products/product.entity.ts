import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A marketplace product (云商店商品) with its prices (on-demand, monthly, yearly) in minor units. */
@Entity({ name: 'products' })
export class Product {
  @PrimaryColumn({ type: 'text' })
  productId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** The category split rules may apply to, e.g. `saas.security`. */
  @Column({ type: 'text' })
  category!: string;

  /** Who sells it (the ISV); receives the seller share of its orders. */
  @Column({ type: 'text' })
  sellerId!: string;

  /** Listed in strict selection (严选): strict-selection split rules apply to it. */
  @Column({ type: 'boolean' })
  strictSelection!: boolean;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'bigint', nullable: true })
  onDemandPriceMinor!: string | null;

  @Column({ type: 'bigint', nullable: true })
  monthlyPriceMinor!: string | null;

  @Column({ type: 'bigint', nullable: true })
  yearlyPriceMinor!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'text' })
  createdBy!: string;
}
