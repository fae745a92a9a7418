import { currency, Decimal, isCurrency } from '@settle/money';
import { z } from 'zod';

/**
 * The rules of a positive amount in a currency, for events that carry one (`amount` + `currency`):
 * an active ISO 4217 code, more than zero, at most the currency's decimals. Added to a schema with
 * `.superRefine(positiveAmountRule('amount', 'currency'))`.
 */
export function positiveAmountRule<K extends string, C extends string>(amountField: K, currencyField: C) {
  return (data: Record<K | C, string>, ctx: z.RefinementCtx): void => {
    const code = data[currencyField];
    if (!isCurrency(code)) {
      ctx.addIssue({ code: 'custom', path: [currencyField], message: `unknown currency ${code}: expected an active ISO 4217 code` });
      return;
    }
    const amount = Decimal.of(data[amountField]);
    if (amount.isZero() || amount.isNegative()) ctx.addIssue({ code: 'custom', path: [amountField], message: `must be more than 0, not ${data[amountField]}` });
    const exponent = currency(code).exponent;
    if (amount.normalize().scale > exponent) ctx.addIssue({ code: 'custom', path: [amountField], message: `${data[amountField]} has more decimals than ${code} allows (${exponent})` });
  };
}
