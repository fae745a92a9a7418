import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PartnerScope } from '@settle/auth';
import { ConflictError, NotFoundError } from '@settle/contracts';
import { inSystemScope } from '@settle/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, IsNull, LessThanOrEqual, MoreThan } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { PartnersService } from '../partners/partners.service';
import { ProductQuote } from './product-quote.entity';
import { Product } from './product.entity';

/** Marketplace products and their partner-exclusive quotes; the one reader of both tables. */
@Injectable()
export class ProductsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly partners: PartnersService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Operator: lists a new product (409 when the id is taken). */
  async create(product: Omit<Product, 'createdAt'>): Promise<Product> {
    const row: Product = { ...product, createdAt: this.clock.now() };
    const inserted = await inSystemScope(this.dataSource, (m) =>
      m.createQueryBuilder().insert().into(Product).values(row).orIgnore().returning('product_id').execute(),
    );
    if (inserted.raw.length === 0) throw new ConflictError(`Product ${product.productId} already exists.`);
    return row;
  }

  list(page: { category?: string; offset: number; limit: number }): Promise<[Product[], number]> {
    return inSystemScope(this.dataSource, (m) =>
      m.getRepository(Product).findAndCount({ where: { category: page.category }, order: { productId: 'ASC' }, skip: page.offset, take: page.limit }),
    );
  }

  async get(productId: string, manager?: EntityManager): Promise<Product> {
    const product = await (manager ? manager.findOneBy(Product, { productId }) : inSystemScope(this.dataSource, (m) => m.findOneBy(Product, { productId })));
    if (!product) throw new NotFoundError(`Product ${productId} does not exist.`);
    return product;
  }

  /** The products of these ids (for a batch of orders), by id. */
  async byIds(m: EntityManager, ids: readonly string[]): Promise<Map<string, Product>> {
    const rows = ids.length ? await m.find(Product, { where: { productId: In([...new Set(ids)]) } }) : [];
    return new Map(rows.map((p) => [p.productId, p]));
  }

  /** Operator: adds an exclusive quote to a product. */
  async addQuote(quote: Omit<ProductQuote, 'id' | 'createdAt'>): Promise<ProductQuote> {
    const product = await this.get(quote.productId);
    if (product.currency !== quote.currency) throw new ConflictError(`Product ${product.productId} is priced in ${product.currency}, not ${quote.currency}.`);
    const row: ProductQuote = { ...quote, id: randomUUID(), createdAt: this.clock.now() };
    await inSystemScope(this.dataSource, (m) => m.insert(ProductQuote, row));
    return row;
  }

  /** The quotes valid now of a product, for program partners only (403 for others). */
  async quotesFor(scope: PartnerScope, productId: string): Promise<{ product: Product; quotes: ProductQuote[] }> {
    await this.partners.requireProgramPartner(scope);
    const product = await this.get(productId);
    const now = this.clock.now();
    const quotes = await inSystemScope(this.dataSource, (m) =>
      m.find(ProductQuote, {
        where: [
          { productId, validFrom: LessThanOrEqual(now), validTo: IsNull() },
          { productId, validFrom: LessThanOrEqual(now), validTo: MoreThan(now) },
        ],
        order: { quoteType: 'ASC', createdAt: 'ASC' },
      }),
    );
    return { product, quotes };
  }
}
