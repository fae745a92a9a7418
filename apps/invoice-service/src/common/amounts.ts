import { Money, currency } from '@settle/money';
import { z } from 'zod';

/** Minor units as a decimal string at the currency's exponent, as the API writes amounts. */
export const amountText = (minor: string | bigint, currencyCode: string): string => Money.fromMinor(minor, currencyCode).toString();

/**
 * A non-negative amount as the partner API sends it: a decimal string (or JSON number) with at most
 * the currency's decimals. Checked on its text, never through a float operation; the currency is
 * known only with the rest of the body, so this keeps the text and `moneyOf` makes the Money.
 */
export const AmountInput = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .refine((v) => /^\d{1,15}(\.\d{1,4})?$/.test(v), { message: 'must be an amount such as "100.50"' });

/** The Money of an amount text in a currency, or a message saying why it is not one. */
export function moneyOf(text: string, currencyCode: string): Money | string {
  const decimals = currency(currencyCode).exponent;
  if (!new RegExp(`^\\d{1,15}(\\.\\d{1,${decimals}})?$`).test(text)) return `must have at most ${decimals} decimals for ${currencyCode}`;
  return Money.of(text, currencyCode);
}
