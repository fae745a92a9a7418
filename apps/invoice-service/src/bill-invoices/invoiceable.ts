import { Money } from '@settle/money';

export const BillInvoiceErrors = {
  /** The amount asked for is more than what was paid and not yet invoiced (or nothing is left). */
  ExceedsInvoiceable: 'CBC.99007020',
  /** The account holds no valid invoice information to invoice to. */
  NoInvoiceInformation: 'CBC.99007021',
  /** The account holds several valid invoice information records (from before 2020-08-01): name one. */
  ChooseInvoiceInformation: 'CBC.99007022',
  /** The request id was used for another request. */
  RequestIdReused: 'CBC.99007023',
} as const;

/** What may still be invoiced: paid minus already invoiced, never below zero. */
export function invoiceable(paid: Money, invoiced: Money): Money {
  const left = paid.minus(invoiced);
  return left.isNegative() ? Money.zero(paid.currencyCode) : left;
}

/**
 * The amount a request invoices: the amount asked for (all that is invoiceable when none is
 * named), or why it cannot be.
 */
export function requestedAmount(asked: Money | null, available: Money): { amount: Money } | { refused: string } {
  const amount = asked ?? available;
  if (!amount.isPositive()) return { refused: `Nothing is left to invoice in ${available.currencyCode}: everything paid is invoiced.` };
  if (amount.greaterThan(available)) return { refused: `${amount} ${amount.currencyCode} is more than the ${available} ${available.currencyCode} paid and not yet invoiced.` };
  return { amount };
}
