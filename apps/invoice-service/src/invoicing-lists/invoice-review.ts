import { Decimal, Money } from '@settle/money';
import { Mismatch } from './invoice-submission.entity';

/** Codes of the invoicing-list rules. */
export const InvoicingListErrors = {
  /** The partner's business information certification is not complete: its invoicing lists are not visible yet. */
  CertificationIncomplete: 'CBC.99007010',
  /** The list takes no invoice now (one is under review, or it was approved). */
  NotAwaitingInvoice: 'CBC.99007011',
  /** The invoice's own amounts do not add up (net + tax ≠ gross). */
  AmountsDoNotAddUp: 'CBC.99007012',
  /** The invoice's amounts or tax differ from the list: it cannot be approved (reject it with the reason). */
  InvoiceDoesNotMatch: 'CBC.99007013',
  /** No invoice is under review on this list (nothing submitted, or already reviewed). */
  NothingToReview: 'CBC.99007014',
} as const;

export interface ListAmounts {
  net: Money;
  tax: Money;
  gross: Money;
  taxRate: string;
}

/**
 * What differs between the invoice a partner recorded and its invoicing list: each of net, tax and
 * gross must equal the list's exactly (minor units), and the tax rate must be the same number
 * ("0.06" and "0.060" are the same rate). Empty when the invoice matches.
 */
export function mismatchesOf(list: ListAmounts, invoice: ListAmounts): Mismatch[] {
  const out: Mismatch[] = [];
  const money: Array<[Mismatch['field'], Money, Money]> = [
    ['net_amount', list.net, invoice.net],
    ['tax_amount', list.tax, invoice.tax],
    ['gross_amount', list.gross, invoice.gross],
  ];
  for (const [field, expected, actual] of money) if (!expected.equals(actual)) out.push({ field, expected: expected.toString(), actual: actual.toString() });
  if (Decimal.of(list.taxRate).compare(Decimal.of(invoice.taxRate)) !== 0) out.push({ field: 'tax_rate', expected: list.taxRate, actual: invoice.taxRate });
  return out;
}

/** An invoice's own arithmetic: net + tax = gross. */
export function addsUp(invoice: Pick<ListAmounts, 'net' | 'tax' | 'gross'>): boolean {
  return invoice.net.plus(invoice.tax).equals(invoice.gross);
}

/** The reason a rejection states for mismatches, e.g. "tax_amount is 5.00, the list says 6.00". */
export function describeMismatches(mismatches: readonly Mismatch[]): string {
  return mismatches.map((m) => `${m.field} is ${m.actual}, the list says ${m.expected}`).join('; ');
}
