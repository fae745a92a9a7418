import { DecimalInput, Money, splitInclusive } from '@settle/money';
import { createHash } from 'node:crypto';

/** What bill arithmetic needs of a bill line (a rated line), amounts in minor units. */
export interface BillLineInput {
  customerId: string;
  serviceTypeCode: string;
  /** usage | correction-adjustment */
  lineType: string;
  /** consumption | refund | adjustment */
  recordType: string;
  currency: string;
  officialAmountMinor: string;
  discountAmountMinor: string;
  ratedAmountMinor: string;
}

export type BillCategory = 'consumption' | 'refund' | 'adjustment';

/**
 * The category a line counts in. A correction-adjustment (a correction that arrived after its
 * cycle closed) is an adjustment whatever the kind of its original; refunds are negative amounts.
 */
export function categoryOf(line: Pick<BillLineInput, 'lineType' | 'recordType'>): BillCategory {
  if (line.lineType === 'correction-adjustment') return 'adjustment';
  if (line.recordType === 'consumption' || line.recordType === 'refund' || line.recordType === 'adjustment') return line.recordType;
  throw new Error(`a bill line of record type ${line.recordType} has no bill category`);
}

export interface BillAmounts {
  consumption: Money;
  refunds: Money;
  adjustments: Money;
  official: Money;
  discount: Money;
  /** Tax included: consumption + refunds + adjustments. */
  amountDue: Money;
  /** The VAT contained in the amount due. */
  tax: Money;
  /** The amount due without its VAT: amountDue − tax. */
  net: Money;
  lineCount: number;
}

/** One item of a bill: a customer's lines of one service type. */
export interface BillItemAmounts extends BillAmounts {
  customerId: string;
  serviceTypeCode: string;
}

export interface ComputedBill {
  currency: string;
  items: BillItemAmounts[];
  totals: BillAmounts;
  customerCount: number;
  /** Changes when (and only when) any amount of the bill changes: decides whether a regeneration is a new revision. */
  contentHash: string;
}

function zero(currency: string, lineCount = 0): BillAmounts {
  const z = Money.zero(currency);
  return { consumption: z, refunds: z, adjustments: z, official: z, discount: z, amountDue: z, tax: z, net: z, lineCount };
}

function add(a: BillAmounts, b: BillAmounts): BillAmounts {
  return {
    consumption: a.consumption.plus(b.consumption),
    refunds: a.refunds.plus(b.refunds),
    adjustments: a.adjustments.plus(b.adjustments),
    official: a.official.plus(b.official),
    discount: a.discount.plus(b.discount),
    amountDue: a.amountDue.plus(b.amountDue),
    tax: a.tax.plus(b.tax),
    net: a.net.plus(b.net),
    lineCount: a.lineCount + b.lineCount,
  };
}

/**
 * A partner's bills for one cycle, one per currency, from its bill lines.
 *
 * Named rounding point: the VAT in the amount due is split out **per bill item** (customer ×
 * service type) with `splitInclusive` (half-even at the currency's exponent); the bill's tax is
 * the sum of its items' taxes. So every total is exactly the sum of the items shown, and an item's
 * tax does not change when another customer's usage changes.
 */
export function computeBills(lines: readonly BillLineInput[], vatRate: DecimalInput): ComputedBill[] {
  const byCurrency = new Map<string, Map<string, { customerId: string; serviceTypeCode: string; amounts: BillAmounts }>>();
  for (const line of lines) {
    const c = line.currency;
    const items = byCurrency.get(c) ?? new Map();
    byCurrency.set(c, items);
    const key = `${line.customerId}\u0000${line.serviceTypeCode}`;
    const item = items.get(key) ?? { customerId: line.customerId, serviceTypeCode: line.serviceTypeCode, amounts: zero(c) };
    const rated = Money.fromMinor(line.ratedAmountMinor, c);
    const category = categoryOf(line);
    item.amounts = add(item.amounts, {
      ...zero(c, 1),
      consumption: category === 'consumption' ? rated : Money.zero(c),
      refunds: category === 'refund' ? rated : Money.zero(c),
      adjustments: category === 'adjustment' ? rated : Money.zero(c),
      official: Money.fromMinor(line.officialAmountMinor, c),
      discount: Money.fromMinor(line.discountAmountMinor, c),
      amountDue: rated,
    });
    items.set(key, item);
  }
  const bills: ComputedBill[] = [];
  for (const [currency, itemMap] of [...byCurrency.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const items: BillItemAmounts[] = [...itemMap.values()]
      .sort((a, b) => a.customerId.localeCompare(b.customerId) || a.serviceTypeCode.localeCompare(b.serviceTypeCode))
      .map(({ customerId, serviceTypeCode, amounts }) => {
        const { tax, net } = splitInclusive(amounts.amountDue, vatRate);
        return { customerId, serviceTypeCode, ...amounts, tax, net };
      });
    const totals = items.reduce<BillAmounts>((sum, item) => add(sum, item), zero(currency));
    bills.push({ currency, items, totals, customerCount: new Set(items.map((i) => i.customerId)).size, contentHash: hashOf(currency, items) });
  }
  return bills;
}

function hashOf(currency: string, items: readonly BillItemAmounts[]): string {
  const h = createHash('sha256').update(currency);
  for (const i of items) {
    h.update(`\n${i.customerId}|${i.serviceTypeCode}|${i.lineCount}|${[i.consumption, i.refunds, i.adjustments, i.official, i.discount, i.amountDue, i.tax].map((m) => m.minor.toString()).join('|')}`);
  }
  return h.digest('hex');
}
