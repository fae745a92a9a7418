import { Money } from '@settle/money';

/** An amount of minor units as the API writes it: a decimal string at the currency's exponent. */
export const amountOf = (minor: string | bigint, currency: string): string => Money.fromMinor(minor, currency).toString();

/** A decimal amount string (already checked against its currency) as minor units. */
export const minorOf = (amount: string, currency: string): string => Money.of(amount, currency).minor.toString();
