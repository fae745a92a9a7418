import { currency, Decimal, isCurrency } from '@settle/money';
import { z } from 'zod';

export interface AmountProblem {
  path: 'amount' | 'currency';
  message: string;
}

/**
 * What is wrong with a decimal amount in a currency (the amount's text already matched
 * AmountSchema): an unknown ISO 4217 code, more decimals than the currency has, and, when
 * `positive`, zero or less.
 */
export function amountProblems(amount: string, code: string, options: { positive: boolean }): AmountProblem[] {
  // A refinement may see text the field's own schema already refused: report it, never throw.
  if (typeof amount !== 'string' || !/^-?\d+(\.\d+)?$/.test(amount)) return [{ path: 'amount', message: 'must be a decimal string such as "12.34"' }];
  if (typeof code !== 'string' || !isCurrency(code)) return [{ path: 'currency', message: `unknown currency ${code}: expected an active ISO 4217 code` }];
  const problems: AmountProblem[] = [];
  const value = Decimal.of(amount);
  if (options.positive && (value.isZero() || value.isNegative())) problems.push({ path: 'amount', message: `must be more than 0, not ${amount}` });
  const exponent = currency(code).exponent;
  if (value.normalize().scale > exponent) problems.push({ path: 'amount', message: `${amount} has more decimals than ${code} allows (${exponent})` });
  return problems;
}

/**
 * The rules of a positive amount in a currency, for events that carry one (`amount` + `currency`).
 * Added to a schema with `.superRefine(positiveAmountRule('amount', 'currency'))`.
 */
export function positiveAmountRule<K extends string, C extends string>(amountField: K, currencyField: C) {
  return (data: Record<K | C, string>, ctx: z.RefinementCtx): void => {
    for (const problem of amountProblems(data[amountField], data[currencyField], { positive: true })) {
      ctx.addIssue({ code: 'custom', path: [problem.path === 'amount' ? amountField : currencyField], message: problem.message });
    }
  };
}
