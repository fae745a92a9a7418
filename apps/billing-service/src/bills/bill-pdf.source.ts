import { BadParameterError, BillCycleSchema } from '@settle/contracts';
import { Money } from '@settle/money';
import { z } from 'zod';
import { PdfExportSource } from '../exports/export-source';
import { Bill, BillItem } from './bill.entity';

const Params = z.object({ bill_cycle: BillCycleSchema, currency: z.string().length(3).optional() }).strict();
type Params = z.infer<typeof Params>;

const ITEMS_PER_QUERY = 500;

/** "Export bill (PDF)": the partner's bill of a cycle — totals, then one row per customer and service type. */
export const BillPdfExport: PdfExportSource<Params> = {
  type: 'bill-pdf',
  format: 'pdf',
  description: 'The partner bill of one cycle as a PDF: status, totals, tax and amount due, and its items per customer and service type.',
  params: Params,
  fileName: (p) => `partner-bill-${p.bill_cycle}${p.currency ? `-${p.currency}` : ''}`,
  async render({ dataSource, partnerId, params }, doc) {
    const bills = await dataSource.getRepository(Bill).find({ where: { partnerId, billCycle: params.bill_cycle, ...(params.currency ? { currency: params.currency } : {}) }, order: { currency: 'ASC' } });
    if (bills.length === 0) throw new BadParameterError(`There is no bill for ${params.bill_cycle}; generate it first.`);
    let rows = 0;
    for (const [index, bill] of bills.entries()) {
      if (index > 0) doc.addPage();
      const money = (minor: string) => `${Money.fromMinor(minor, bill.currency).toString()} ${bill.currency}`;
      doc.fontSize(18).text(`Partner bill ${bill.billCycle}`);
      doc.moveDown(0.3).fontSize(9).fillColor('#444')
        .text(`Partner ${bill.partnerId}   Bill ${bill.id}   Revision ${bill.revision}   Status ${bill.status.toUpperCase()}`)
        .text(`Generated ${bill.generatedAt.toISOString()}${bill.finalizedAt ? `   Final since ${bill.finalizedAt.toISOString()}` : '   (draft: amounts may still change)'}`);
      doc.moveDown().fillColor('#000').fontSize(11);
      for (const [label, minor] of [
        ['Consumption', bill.consumptionMinor],
        ['Refunds', bill.refundsMinor],
        ['Adjustments', bill.adjustmentsMinor],
        ['Amount due (tax included)', bill.amountDueMinor],
        [`of which VAT at ${bill.vatRate.replace(/0+$/, '')}`, bill.taxMinor],
      ] as const) {
        doc.text(`${label}: ${money(minor)}`);
      }
      doc.moveDown().fontSize(12).text('Items per customer and service type');
      doc.moveDown(0.3).fontSize(8);
      // Items are read a page of rows at a time, so a bill with many customers is never held whole.
      for (let offset = 0; ; offset += ITEMS_PER_QUERY) {
        const items = await dataSource.getRepository(BillItem).find({ where: { billId: bill.id }, order: { customerId: 'ASC', serviceTypeCode: 'ASC' }, skip: offset, take: ITEMS_PER_QUERY });
        for (const item of items) {
          doc.text(`${item.customerId}   ${item.serviceTypeCode}   lines ${item.lineCount}   due ${money(item.amountDueMinor)}   VAT ${money(item.taxMinor)}`);
          rows += 1;
        }
        if (items.length < ITEMS_PER_QUERY) break;
      }
    }
    return rows;
  },
};
