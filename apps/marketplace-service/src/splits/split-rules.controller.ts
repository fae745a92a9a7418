import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, callerOf } from '@settle/auth';
import { IdSchema, IsoDateTimeSchema } from '@settle/contracts';
import { Decimal } from '@settle/money';
import { parseInput } from '@settle/platform';
import { z } from 'zod';
import { SplitRuleRow } from './split-rule.entity';
import { sellerPct } from './split-rules';
import { SplitRulesService } from './split-rules.service';

/** A percentage as an exact decimal string, 0 to 100, at most 4 decimals. */
const Pct = z.string().regex(/^\d{1,3}(\.\d{1,4})?$/, 'must be a percentage such as "12.5"');

const CreateRule = z
  .object({
    product_id: IdSchema.optional(),
    category: z.string().trim().min(1).max(64).optional(),
    strict_selection: z.boolean().default(false),
    platform_pct: Pct,
    partner_pct: Pct,
    effective_from: IsoDateTimeSchema,
    effective_to: IsoDateTimeSchema.optional(),
  })
  .strict()
  .refine((r) => (r.product_id === undefined) !== (r.category === undefined), { message: 'a rule applies to either a product_id or a category', path: ['product_id'] });

const RuleParams = z.object({ rule_id: z.uuid({ message: 'must be a split rule id' }) }).strict();
const EndRule = z.object({ effective_to: IsoDateTimeSchema }).strict();

/** Percentages as written, trailing zeros of the column's scale removed ("10.0000" → "10"). */
const pct = (v: string) => Decimal.of(v).normalize().toString();

function ruleView(r: SplitRuleRow) {
  return {
    rule_id: r.id,
    product_id: r.productId,
    category: r.category,
    strict_selection: r.strictSelection,
    platform_pct: pct(r.platformPct),
    partner_pct: pct(r.partnerPct),
    seller_pct: sellerPct({ platformPct: r.platformPct, partnerPct: r.partnerPct }).normalize().toString(),
    effective_from: r.effectiveFrom.toISOString(),
    effective_to: r.effectiveTo?.toISOString() ?? null,
    created_by: r.createdBy,
  };
}

/** Operator API of split rules (分账规则). */
@Controller('operator/marketplace/split-rules')
@RequireOperator()
export class SplitRulesController {
  constructor(private readonly rules: SplitRulesService) {}

  @Post()
  async create(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const r = parseInput(CreateRule, body);
    const row = await this.rules.create({
      scopeKind: r.product_id ? 'product' : 'category',
      productId: r.product_id ?? null,
      category: r.category ?? null,
      strictSelection: r.strict_selection,
      platformPct: r.platform_pct,
      partnerPct: r.partner_pct,
      effectiveFrom: new Date(r.effective_from),
      effectiveTo: r.effective_to ? new Date(r.effective_to) : null,
      createdBy: callerOf(principal),
    });
    return ruleView(row);
  }

  @Get()
  async list() {
    return { split_rules: (await this.rules.list()).map(ruleView) };
  }

  @Post(':rule_id/end')
  async end(@Param() params: unknown, @Body() body: unknown) {
    const { rule_id } = parseInput(RuleParams, params);
    const { effective_to } = parseInput(EndRule, body);
    return ruleView(await this.rules.end(rule_id, new Date(effective_to)));
  }
}
