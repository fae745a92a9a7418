import { SplitRule, SplitRuleError, conflictingRule, selectSplitRule, sellerPct, validateSplitRule } from './split-rules';

const at = (iso: string) => new Date(iso);
const rule = (id: string, over: Partial<SplitRule>): SplitRule => ({
  id,
  scope: { kind: 'category', category: 'saas' },
  strictSelection: false,
  platformPct: '10',
  partnerPct: '5',
  effectiveFrom: at('2026-01-01T00:00:00Z'),
  effectiveTo: null,
  ...over,
});
const subject = { productId: 'p-1', category: 'saas', strictSelection: false, at: at('2026-06-15T00:00:00Z') };

describe('split rule selection', () => {
  const category = rule('category', {});
  const product = rule('product', { scope: { kind: 'product', productId: 'p-1' } });
  const strictCategory = rule('strict-category', { strictSelection: true, platformPct: '20' });
  const strictProduct = rule('strict-product', { strictSelection: true, scope: { kind: 'product', productId: 'p-1' } });

  it('prefers a product rule to its category rule', () => {
    expect(selectSplitRule([category, product], subject)?.id).toBe('product');
    expect(selectSplitRule([category, product], { ...subject, productId: 'p-2' })?.id).toBe('category');
  });

  it('applies strict-selection rules only to strict-selection products, before the standard rule of the same scope', () => {
    const all = [category, product, strictCategory, strictProduct];
    expect(selectSplitRule(all, subject)?.id).toBe('product');
    expect(selectSplitRule(all, { ...subject, strictSelection: true })?.id).toBe('strict-product');
    expect(selectSplitRule([category, strictCategory], { ...subject, strictSelection: true })?.id).toBe('strict-category');
    expect(selectSplitRule([product, strictCategory], { ...subject, strictSelection: true })?.id).toBe('product');
  });

  it('uses the rule effective when the order was paid ([from, to) in UTC)', () => {
    const old = rule('old', { effectiveTo: at('2026-07-01T00:00:00Z') });
    const next = rule('new', { effectiveFrom: at('2026-07-01T00:00:00Z'), platformPct: '12' });
    expect(selectSplitRule([old, next], subject)?.id).toBe('old');
    expect(selectSplitRule([old, next], { ...subject, at: at('2026-07-01T00:00:00Z') })?.id).toBe('new');
    expect(selectSplitRule([old, next], { ...subject, at: at('2025-12-31T23:59:59Z') })).toBeUndefined();
  });

  it('finds a rule that would overlap another of the same scope and kind', () => {
    const old = rule('old', { effectiveTo: at('2026-07-01T00:00:00Z') });
    expect(conflictingRule([old], rule('overlap', { effectiveFrom: at('2026-06-30T00:00:00Z') }))?.id).toBe('old');
    expect(conflictingRule([old], rule('after', { effectiveFrom: at('2026-07-01T00:00:00Z') }))).toBeUndefined();
    expect(conflictingRule([old], rule('strict', { strictSelection: true }))).toBeUndefined();
    expect(() => selectSplitRule([old, rule('overlap', {})], subject)).toThrow(SplitRuleError);
  });

  it('checks a rule’s numbers and gives the seller what is left', () => {
    expect(sellerPct({ platformPct: '12.5', partnerPct: '7.25' }).toString()).toBe('80.25');
    expect(() => validateSplitRule(rule('x', { platformPct: '60', partnerPct: '40.01' }))).toThrow(/exceed 100/);
    expect(() => validateSplitRule(rule('x', { platformPct: '-1' }))).toThrow(/negative/);
    expect(() => validateSplitRule(rule('x', { effectiveTo: at('2026-01-01T00:00:00Z') }))).toThrow(/end after/);
    expect(() => validateSplitRule(rule('x', { platformPct: '60', partnerPct: '40' }))).not.toThrow();
  });
});
