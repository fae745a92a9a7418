import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePermission, callerOf, scopeOf } from '@settle/auth';
import { AmountSchema, CurrencySchema, IdSchema, IsoDateTimeSchema, amountProblems } from '@settle/contracts';
import { Money } from '@settle/money';
import { parseInput } from '@settle/platform';
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
  async list(@Query() query: unknown) {
    const q = parseInput(ListQuery, query);
    const [rows, total] = await this.products.list(q);
    return { total_count: total, products: rows.map(productView) };
  }

  /** Product quotes and configuration-list quotes: 403 for partners outside the program. */
  @Get(':product_id/quotes')
  async quotes(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { product_id } = parseInput(ProductParams, params);
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
  async create(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const p = parseInput(CreateProduct, body);
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
  async list(@Query() query: unknown) {
    const q = parseInput(ListQuery, query);
    const [rows, total] = await this.products.list(q);
    return { total_count: total, products: rows.map(productView) };
  }

  @Post(':product_id/quotes')
  async addQuote(@Param() params: unknown, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { product_id } = parseInput(ProductParams, params);
    const q = parseInput(CreateQuote, body);
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
