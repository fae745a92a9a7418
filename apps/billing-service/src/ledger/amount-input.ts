import { Money, currency } from '@settle/money';
import { z } from 'zod';

/**
 * A positive amount as the partner API sends it: a JSON number or a decimal string with at most the
 * currency's decimals ("100", 100.5, "0.01"). Checked on its decimal text, never through a float
 * operation, then held exactly as Money.
 */
export function positiveAmount(currencyCode: string) {
  const decimals = currency(currencyCode).exponent;
  const pattern = new RegExp(`^\\d{1,15}(\\.\\d{1,${decimals}})?$`);
  return z
    .union([z.string(), z.number()])
    .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
    .refine((v) => pattern.test(v), { message: `must be a positive amount with at most ${decimals} decimals, such as "100.50"` })
    .transform((v) => Money.of(v, currencyCode))
    .refine((m) => m.isPositive(), { message: 'must be greater than 0' });
}
