import { Controller, Get, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { AmountSchema, ApiAmount, ApiCurrency, ApiTimestamp, ApiTotalCount, ApiUuid, CurrencySchema, IdSchema, IsoDateTimeSchema, amountProblems } from '@settle/contracts';
import { Money } from '@settle/money';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { amountOf, minorOf } from '../common/money-views';
import { ProductQuote } from './product-quote.entity';
import { Product } from './product.entity';
import { ProductsService } from './products.service';

const ProductParams = z.object({ product_id: IdSchema }).strict();
const ListQuery = z
  .object({
    category: z.string().min(1).max(64).optional(),
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(100).default(10),
  })
  .strict();

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Adds an issue per amount field that is not a non-negative amount of `currency`. */
const amountsIn = (fields: string[]) => (data: Record<string, unknown>, ctx: z.RefinementCtx) => {
  for (const field of fields) {
    const value = data[field];
    if (typeof value !== 'string' || !DECIMAL.test(value)) continue; // AmountSchema reports it
    for (const p of amountProblems(value, data.currency as string, { positive: false })) {
      ctx.addIssue({ code: 'custom', path: [p.path === 'amount' ? field : 'currency'], message: p.message });
    }
    if (value.startsWith('-')) ctx.addIssue({ code: 'custom', path: [field], message: 'must not be negative' });
  }
};

const CreateProduct = z
  .object({
    product_id: IdSchema,
    name: z.string().trim().min(1).max(200),
    category: z.string().trim().min(1).max(64),
    seller_id: IdSchema,
    strict_selection: z.boolean().default(false),
    currency: CurrencySchema,
    on_demand_price: AmountSchema.optional(),
    monthly_price: AmountSchema.optional(),
    yearly_price: AmountSchema.optional(),
  })
  .strict()
  .superRefine(amountsIn(['on_demand_price', 'monthly_price', 'yearly_price']));

const QuoteItemSchema = z.object({ sku: z.string().min(1).max(64), description: z.string().max(500).default(''), quantity: z.number().int().min(1).max(100_000), unit_price: AmountSchema }).strict();
const CreateQuote = z
  .object({
    quote_type: z.enum(['product', 'configuration-list']),
    name: z.string().trim().min(1).max(200),
    currency: CurrencySchema,
    list_amount: AmountSchema,
    quote_amount: AmountSchema,
    items: z.array(QuoteItemSchema).max(200).default([]),
    valid_from: IsoDateTimeSchema,
    valid_to: IsoDateTimeSchema.optional(),
  })
  .strict()
  .superRefine(amountsIn(['list_amount', 'quote_amount']))
  .superRefine((q, ctx) => {
    if (q.quote_type === 'configuration-list' && q.items.length === 0) ctx.addIssue({ code: 'custom', path: ['items'], message: 'a configuration-list quote lists its items' });
    if (q.valid_to && q.valid_to <= q.valid_from) ctx.addIssue({ code: 'custom', path: ['valid_to'], message: 'must be after valid_from' });
    for (const [i, item] of q.items.entries()) {
      if (DECIMAL.test(item.unit_price)) for (const p of amountProblems(item.unit_price, q.currency, { positive: false })) ctx.addIssue({ code: 'custom', path: ['items', i, 'unit_price'], message: p.message });
    }
  });

/** A product as `productView` writes it. */
const ProductResponse = z
  .object({
    product_id: z.string(),
    name: z.string(),
    category: z.string().describe('The category split rules may apply to, e.g. `saas.security`.'),
    seller_id: z.string().describe('Who sells it (the ISV): receives the seller share of its orders.'),
    strict_selection: z.boolean().describe('Listed in strict selection (严选): strict-selection split rules apply to it.'),
    currency: ApiCurrency,
    on_demand_price: ApiAmount.nullable(),
    monthly_price: ApiAmount.nullable(),
    yearly_price: ApiAmount.nullable(),
  })
  .meta({ id: 'MarketplaceProduct' });

/** A partner-exclusive quote as `quoteView` writes it. */
const ProductQuoteResponse = z
  .object({
    quote_id: ApiUuid,
    quote_type: z.enum(['product', 'configuration-list']).describe('product: a quote of the product; configuration-list: a quote of several items (配置清单报价).'),
    name: z.string(),
    currency: ApiCurrency,
    list_amount: ApiAmount.describe('What it costs at list price.'),
    quote_amount: ApiAmount.describe('What the program partner\'s customer pays with the discount.'),
    discount_amount: ApiAmount.describe('list_amount - quote_amount.'),
    items: z.array(z.object({ sku: z.string(), description: z.string(), quantity: z.number().int(), unit_price: ApiAmount.describe('The unit price after the discount, as written.') })),
    valid_from: ApiTimestamp,
    valid_to: ApiTimestamp.nullable().describe('null: no end.'),
  })
  .meta({ id: 'MarketplaceProductQuote' });

const ProductListResponse = z.object({ total_count: ApiTotalCount, products: z.array(ProductResponse) });
const ProductIdTaken = { status: 409, code: 'CBC.0102', when: 'a product with this product_id exists' };
const OtherCurrency = { status: 409, code: 'CBC.0102', when: 'the quote\'s currency is not the one the product is priced in' };

const price = (minor: string | null, currency: string) => (minor === null ? null : amountOf(minor, currency));

export function productView(p: Product) {
  return {
    product_id: p.productId,
    name: p.name,
    category: p.category,
    seller_id: p.sellerId,
    strict_selection: p.strictSelection,
    currency: p.currency,
    on_demand_price: price(p.onDemandPriceMinor, p.currency),
    monthly_price: price(p.monthlyPriceMinor, p.currency),
    yearly_price: price(p.yearlyPriceMinor, p.currency),
  };
}

function quoteView(q: ProductQuote) {
  const list = Money.fromMinor(q.listAmountMinor, q.currency);
  const quoted = Money.fromMinor(q.quoteAmountMinor, q.currency);
  return {
    quote_id: q.id,
    quote_type: q.quoteType,
    name: q.name,
    currency: q.currency,
    list_amount: list.toString(),
    quote_amount: quoted.toString(),
    discount_amount: list.minus(quoted).toString(),
    items: q.items,
    valid_from: q.validFrom.toISOString(),
    valid_to: q.validTo?.toISOString() ?? null,
  };
}

/** Partner API: the marketplace's products, and the exclusive quotes of the program's partners. */
@Controller('v2/marketplace/products')
@RequirePermission('marketplace')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @ApiRoute({ summary: 'The marketplace\'s products, narrowed by category', response: ProductListResponse })
  async list(@ValidQuery(ListQuery) q: z.infer<typeof ListQuery>) {
    const [rows, total] = await this.products.list(q);
    return { total_count: total, products: rows.map(productView) };
  }

  /** Product quotes and configuration-list quotes: 403 for partners outside the program. */
  @Get(':product_id/quotes')
  @ApiRoute({ summary: 'A product and its exclusive quotes valid now (program partners only)', response: z.object({ product: ProductResponse, quotes: z.array(ProductQuoteResponse) }) })
  async quotes(@ValidParams(ProductParams) { product_id }: z.infer<typeof ProductParams>, @CurrentPrincipal() principal: Principal) {
    const { product, quotes } = await this.products.quotesFor(scopeOf(principal), product_id);
    return { product: productView(product), quotes: quotes.map(quoteView) };
  }
}

/** Operator API: list products and their exclusive quotes. */
@Controller('operator/marketplace/products')
@RequireOperator()
export class OperatorProductsController {
  constructor(private readonly products: ProductsService) {}

  @Post()
  @ApiRoute({ summary: 'Lists a new product with its prices', response: ProductResponse, errors: [ProductIdTaken] })
  async create(@ValidBody(CreateProduct) p: z.infer<typeof CreateProduct>, @CurrentPrincipal() principal: Principal) {
    const minor = (v?: string) => (v === undefined ? null : minorOf(v, p.currency));
    const row = await this.products.create({
      productId: p.product_id,
      name: p.name,
      category: p.category,
      sellerId: p.seller_id,
      strictSelection: p.strict_selection,
      currency: p.currency,
      onDemandPriceMinor: minor(p.on_demand_price),
      monthlyPriceMinor: minor(p.monthly_price),
      yearlyPriceMinor: minor(p.yearly_price),
      createdBy: callerOf(principal),
    });
    return productView(row);
  }

  @Get()
  @ApiRoute({ summary: 'The marketplace\'s products, narrowed by category', response: ProductListResponse })
  async list(@ValidQuery(ListQuery) q: z.infer<typeof ListQuery>) {
    const [rows, total] = await this.products.list(q);
    return { total_count: total, products: rows.map(productView) };
  }

  @Post(':product_id/quotes')
  @ApiRoute({ summary: 'Adds a partner-exclusive quote (product or configuration list) to a product', response: ProductQuoteResponse, errors: [OtherCurrency] })
  async addQuote(@ValidParams(ProductParams) { product_id }: z.infer<typeof ProductParams>, @ValidBody(CreateQuote) q: z.infer<typeof CreateQuote>, @CurrentPrincipal() principal: Principal) {
    const row = await this.products.addQuote({
      productId: product_id,
      quoteType: q.quote_type,
      name: q.name,
      currency: q.currency,
      listAmountMinor: minorOf(q.list_amount, q.currency),
      quoteAmountMinor: minorOf(q.quote_amount, q.currency),
      items: q.items,
      validFrom: new Date(q.valid_from),
      validTo: q.valid_to ? new Date(q.valid_to) : null,
      createdBy: callerOf(principal),
    });
    return quoteView(row);
  }
}
