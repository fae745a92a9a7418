import { Controller, Get, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, callerOf } from '@settle/auth';
import { ApiTimestamp, ApiUuid, IdSchema, IsoDateTimeSchema } from '@settle/contracts';
import { Decimal } from '@settle/money';
import { ApiRoute, ValidBody, ValidParams } from '@settle/platform';
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

const PctAnswer = (what: string) => z.string().regex(/^\d{1,3}(\.\d{1,4})?$/).describe(`${what}, in percent as exact decimal text without trailing zeros (e.g. "12.5").`);

/** A split rule as `ruleView` writes it. */
const SplitRuleResponse = z
  .object({
    rule_id: ApiUuid,
    product_id: z.string().nullable().describe('The product the rule applies to (null: a category rule).'),
    category: z.string().nullable().describe('The category the rule applies to (null: a product rule).'),
    strict_selection: z.boolean().describe('A strict-selection (严选) rule: applies only to strict-selection products.'),
    platform_pct: PctAnswer('The platform\'s commission'),
    partner_pct: PctAnswer('The referring partner\'s share'),
    seller_pct: PctAnswer('The seller\'s share (100 - platform_pct - partner_pct)'),
    effective_from: ApiTimestamp,
    effective_to: ApiTimestamp.nullable().describe('When the rule stops applying (exclusive); null: no end.'),
    created_by: z.string().describe('The operator who created the rule.'),
  })
  .meta({ id: 'MarketplaceSplitRule' });

const Overlaps = { status: 409, code: 'CBC.0102', when: 'the rule overlaps a rule of the same scope and kind (end that one first or start after it)' };
const AlreadyEnds = { status: 409, code: 'CBC.0102', when: 'the rule already ends at or before effective_to' };

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
  @ApiRoute({ summary: 'Creates a split rule for a product or a category (a rule is never edited: it is ended and a successor starts)', response: SplitRuleResponse, errors: [Overlaps] })
  async create(@ValidBody(CreateRule) r: z.infer<typeof CreateRule>, @CurrentPrincipal() principal: Principal) {
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
  @ApiRoute({ summary: 'Every split rule, oldest first', response: z.object({ split_rules: z.array(SplitRuleResponse) }) })
  async list() {
    return { split_rules: (await this.rules.list()).map(ruleView) };
  }

  @Post(':rule_id/end')
  @ApiRoute({ summary: 'Ends a split rule at effective_to, so that a successor can start', response: SplitRuleResponse, errors: [AlreadyEnds] })
  async end(@ValidParams(RuleParams) { rule_id }: z.infer<typeof RuleParams>, @ValidBody(EndRule) { effective_to }: z.infer<typeof EndRule>) {
    return ruleView(await this.rules.end(rule_id, new Date(effective_to)));
  }
}
